// A node-record-lpcm16 recorder definition (loaded by absolute path through its `recorder` option):
// the command, arguments and environment are computed by sox-command.ts and passed in the options.
module.exports = (options: { soxCommand: string; soxArgs: string[]; soxEnv: NodeJS.ProcessEnv }) => ({
  cmd: options.soxCommand,
  args: options.soxArgs,
  spawnOptions: { env: options.soxEnv },
});
