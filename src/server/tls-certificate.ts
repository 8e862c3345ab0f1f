import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM key and certificate for 127.0.0.1 / localhost. */
export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
}

/** The certificates made in this process, by their subjectAltName. */
const cached = new Map<string, TlsMaterial>();

/**
 * A self-signed P-256 certificate for 127.0.0.1 and localhost (or the names given, as an openssl
 * subjectAltName: `DNS:feed.test`), made at run time with `openssl` (no certificate is
 * committed) and valid for one day. Clients trust exactly this certificate.
 */
export function selfSignedCertificate(subjectAltName = 'IP:127.0.0.1,DNS:localhost'): TlsMaterial {
  const made = cached.get(subjectAltName);
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${subjectAltName.split(',')[0]?.replace(/^\w+:/, '') ?? 'localhost'}`,
        '-addext',
        `subjectAltName=${subjectAltName}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const material = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
    cached.set(subjectAltName, material);
    return material;
  } catch (error) {
    throw new Error(
      `cannot make a TLS certificate: openssl failed (${(error as Error).message}); install openssl or run without tls`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
