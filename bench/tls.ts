/**
 * A throw-away certificate for the TLS test double, made with openssl at bench start: a self-signed CA-capable
 * certificate for 127.0.0.1 and localhost. Clients trust it through NODE_EXTRA_CA_CERTS (read by Node at
 * start-up); nobody disables verification.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findOnPath } from './virtual-mic.js';

export interface TestCertificate {
  /** PEM file to pass as NODE_EXTRA_CA_CERTS. */
  certPath: string;
  cert: Buffer;
  key: Buffer;
}

export async function makeCertificate(dir: string): Promise<TestCertificate> {
  const openssl = findOnPath('openssl');
  if (openssl === undefined) throw new Error("openssl is needed to make the TLS double's certificate: apt-get install openssl");
  const certPath = path.join(dir, 'double-cert.pem');
  const keyPath = path.join(dir, 'double-key.pem');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    '/CN=live-transcribe bench double',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,digitalSignature,keyCertSign',
    '-addext',
    'extendedKeyUsage=serverAuth',
  ];
  await new Promise<void>((resolve, reject) => {
    execFile(openssl, args, { timeout: 20_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`openssl failed: ${err.message}\n${stderr}`));
      else resolve();
    });
  });
  return { certPath, cert: await readFile(certPath), key: await readFile(keyPath) };
}
