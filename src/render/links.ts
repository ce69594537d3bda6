/**
 * The web pages messages and the README send people to: one place, so they all name the same page.
 */

/** Where an AssemblyAI account's API keys are listed and made (the README links the same page). */
export const API_KEYS_PAGE = 'https://www.assemblyai.com/dashboard/api-keys';
