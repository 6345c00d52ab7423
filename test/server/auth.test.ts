import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../src/core/errors.js';
import { createAuth, type AuthOptions } from '../../src/server/auth.js';

function appWith(options: AuthOptions): Hono {
  const app = new Hono();
  app.use('*', createAuth(options));
  app.get('/secret', (context) => context.text('in'));
  return app;
}

async function status(app: Hono, authorization?: string): Promise<number> {
  const response = await app.request('/secret', authorization === undefined ? {} : { headers: { authorization } });
  return response.status;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('createAuth', () => {
  it('refuses to build when no credential is configured and unauthenticated serving was not asked for', () => {
    let error: unknown;
    try {
      createAuth({ tokens: [], allowUnauthenticated: false });
    } catch (caught) {
      error = caught;
    }
    expect(HolmesError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as HolmesError).fix).toContain('server.tokens');
  });

  it('lets requests through without a header when unauthenticated serving is asked for explicitly', async () => {
    expect(await status(appWith({ tokens: [], allowUnauthenticated: true }))).toBe(200);
  });

  it('accepts any configured bearer token, whatever the case of the scheme', async () => {
    const app = appWith({ tokens: ['alpha-token', 'beta-token'], allowUnauthenticated: false });
    expect(await status(app, 'Bearer alpha-token')).toBe(200);
    expect(await status(app, 'Bearer beta-token')).toBe(200);
    expect(await status(app, 'bearer beta-token')).toBe(200);
  });

  it('answers 401 with WWW-Authenticate and without echoing the token when the token is wrong or missing', async () => {
    const app = appWith({ tokens: ['alpha-token'], allowUnauthenticated: false });
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer alpha-tokeN',
      'Bearer alpha-token-and-more',
      'Token alpha-token',
      'alpha-token',
    ]) {
      const response = await app.request('/secret', header === undefined ? {} : { headers: { authorization: header } });
      expect(response.status, String(header)).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      const text = await response.text();
      expect(text).not.toContain('alpha-token');
      expect(JSON.parse(text)).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('rejects tokens of any length without failing, since both sides are hashed to one length before the constant-time compare', async () => {
    const app = appWith({ tokens: ['alpha-token'], allowUnauthenticated: false });
    for (const token of ['a', 'alpha-toke', 'x'.repeat(10_000), '\u00e9\u00e9\u00e9', 'alpha-token!']) {
      expect(await status(app, `Bearer ${token}`)).toBe(401);
    }
  });

  it('refuses a bearer header with anything after the token, or with no token at all', async () => {
    const app = appWith({ tokens: ['alpha-token'], allowUnauthenticated: false });
    for (const header of [
      'Bearer alpha-token garbage',
      'Bearer alpha-token alpha-token',
      'Bearer  ',
      'Bearer\talpha',
    ]) {
      expect(await status(app, header), header).toBe(401);
    }
    expect(await status(app, 'Bearer   alpha-token')).toBe(200);
  });

  it('refuses to build when a configured token is empty or holds whitespace', () => {
    for (const token of ['', 'two words']) {
      expect(() => createAuth({ tokens: [token], allowUnauthenticated: false })).toThrow(/server.tokens\[0\]/);
    }
  });

  it('refuses basic credentials that are not strict base64, even when lenient decoding would match', async () => {
    const app = appWith({ tokens: [], basic: { username: 'user', password: 'passw' }, allowUnauthenticated: false });
    // 10 bytes: canonical base64 ends in '=='.
    const canonical = Buffer.from('user:passw').toString('base64');
    expect(await status(app, `Basic ${canonical}`)).toBe(200);
    for (const value of [
      `${canonical}!!`,
      `!${canonical}`,
      canonical.replace(/=+$/, ''),
      `${canonical.slice(0, 4)}*${canonical.slice(4)}`,
    ]) {
      expect(Buffer.from(value, 'base64').toString('utf8'), value).toBe('user:passw');
      expect(await status(app, `Basic ${value}`), value).toBe(401);
    }
    expect(await status(app, `Basic ${canonical} extra`)).toBe(401);
  });

  it('accepts basic auth with the configured user and password only', async () => {
    const app = appWith({
      tokens: [],
      basic: { username: 'alertmanager', password: 'p:ss w0rd' },
      allowUnauthenticated: false,
    });
    expect(await status(app, basic('alertmanager', 'p:ss w0rd'))).toBe(200);
    expect(await status(app, basic('alertmanager', 'wrong'))).toBe(401);
    expect(await status(app, basic('someone', 'p:ss w0rd'))).toBe(401);
    expect(await status(app, 'Basic not-base64!!')).toBe(401);
    const response = await app.request('/secret');
    expect(response.headers.get('www-authenticate')).toContain('Basic');
  });

  it('does not take a bearer token as basic credentials or the reverse', async () => {
    const tokens = appWith({ tokens: ['user:pass'], allowUnauthenticated: false });
    expect(await status(tokens, basic('user', 'pass'))).toBe(401);
    const basicOnly = appWith({
      tokens: [],
      basic: { username: 'user', password: 'pass' },
      allowUnauthenticated: false,
    });
    expect(await status(basicOnly, 'Bearer user:pass')).toBe(401);
  });

  it('accepts either a token or basic auth when both are configured', async () => {
    const app = appWith({
      tokens: ['alpha-token'],
      basic: { username: 'user', password: 'pass' },
      allowUnauthenticated: false,
    });
    expect(await status(app, 'Bearer alpha-token')).toBe(200);
    expect(await status(app, basic('user', 'pass'))).toBe(200);
  });

  it('still requires credentials when they are configured even if unauthenticated serving is allowed', async () => {
    expect(await status(appWith({ tokens: ['alpha-token'], allowUnauthenticated: true }))).toBe(401);
  });
});
