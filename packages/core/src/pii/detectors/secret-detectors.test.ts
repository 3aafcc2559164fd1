import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../../identity/api-key-format.js';
import { DEFAULT_DETECTORS } from '../pii-guard.js';
import { createPiiScanner } from '../scanner.js';

const scanner = createPiiScanner(DEFAULT_DETECTORS);

const HEX = '0123456789abcdef';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE64 = `${BASE62}+/`;
const URL_SAFE = `${BASE62}_-`;
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

// Values are derived at test time from a hash stream, so no credential-shaped literal is committed
// and every run sees the same values (a random draw could spell `fake` or `xxxxxxxx`).
let counter = 0;
function draw(alphabet: string, length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = createHash('sha256').update(`llmguard-secret-test-${counter++}`).digest();
    for (const byte of bytes) {
      if (out.length === length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}
const digits = (n: number): string => `${1 + (counter++ % 9)}${draw('0123456789', n - 1)}`;
const uuid4 = (): string =>
  `${draw(HEX, 8)}-${draw(HEX, 4)}-4${draw(HEX, 3)}-a${draw(HEX, 3)}-${draw(HEX, 12)}`;

/** A GitHub token with a correct base62 CRC32 of its 30 random characters. */
function githubToken(prefix: string, corrupt = false): string {
  const body = draw(BASE62, 30);
  let crc = crc32(body);
  let check = '';
  while (crc > 0) {
    check = BASE62[crc % 62] + check;
    crc = Math.floor(crc / 62);
  }
  check = check.padStart(6, '0');
  if (corrupt) check = `${check.slice(0, 5)}${check[5] === 'A' ? 'B' : 'A'}`;
  return `${prefix}_${body}${check}`;
}

/** Secret-category types found in `text`. */
const secretTypes = (text: string): string[] =>
  scanner
    .scan(text)
    .matches.filter((m) => m.category === 'secret')
    .map((m) => m.type);

interface Case {
  readonly type: string;
  /** The value in its documented format: must be detected with this type. */
  readonly hit: () => string;
  /** A near miss (wrong length, alphabet, checksum or a placeholder): no credential at all. */
  readonly miss: () => string;
}

const CASES: readonly Case[] = [
  {
    type: 'AWS_ACCESS_KEY',
    hit: () => `AKIA${draw('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
    miss: () => `AKIA${draw('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 15)}`,
  },
  { type: 'GITHUB_TOKEN', hit: () => githubToken('ghp'), miss: () => githubToken('ghp', true) },
  {
    type: 'LLMGUARD_API_KEY',
    hit: () => generateApiKey().key,
    // Same shape, one character of the secret changed: the checksum no longer matches.
    miss: () => {
      const key = generateApiKey().key;
      const i = key.length - 10;
      return key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
    },
  },
  {
    type: 'GITHUB_TOKEN',
    hit: () => `github_pat_${draw(BASE62, 22)}_${draw(BASE62, 59)}`,
    miss: () => `github_pat_${draw(BASE62, 22)}_${draw(BASE62, 50)}`,
  },
  {
    type: 'GITLAB_TOKEN',
    hit: () => `glpat-${draw(URL_SAFE, 20)}`,
    miss: () => `glpat-${draw(BASE62, 19)}`,
  },
  {
    type: 'GITLAB_TOKEN',
    hit: () => `glptt-${draw(HEX, 40)}`,
    miss: () => `glptt-${draw(HEX, 39)}`,
  },
  {
    type: 'SLACK_TOKEN',
    hit: () => `xoxb-${digits(12)}-${digits(13)}-${draw(BASE62, 24)}`,
    miss: () => `xoxb-${draw(BASE62, 8)}`,
  },
  {
    type: 'SLACK_TOKEN',
    hit: () => `xapp-1-A${draw(UPPER_DIGITS, 10)}-${digits(13)}-${draw(HEX, 64)}`,
    miss: () => 'xapp-1-',
  },
  {
    type: 'STRIPE_KEY',
    hit: () => `sk_live_${draw(BASE62, 24)}`,
    miss: () => `pk_live_${draw(BASE62, 24)}`,
  },
  { type: 'STRIPE_KEY', hit: () => `whsec_${draw(BASE62, 32)}`, miss: () => `whsec_${draw(BASE62, 12)}` },
  {
    type: 'OPENAI_API_KEY',
    hit: () => `sk-proj-${draw(URL_SAFE, 80)}`,
    miss: () => `sk-proj-${draw(BASE62, 20)}`,
  },
  {
    type: 'OPENAI_API_KEY',
    hit: () => `sk-svcacct-${draw(URL_SAFE, 80)}`,
    miss: () => `sk-svcacct-${'x'.repeat(60)}`,
  },
  {
    type: 'ANTHROPIC_API_KEY',
    // The exact documented shape counts even when part of it reads like a sample.
    hit: () => `sk-ant-api03-abc123${draw(URL_SAFE, 87)}AA`,
    miss: () => `sk-ant-api03-${'x'.repeat(93)}AA`,
  },
  {
    type: 'ANTHROPIC_API_KEY',
    hit: () => `sk-ant-admin01-${draw(URL_SAFE, 93)}AA`,
    miss: () => `sk-ant-admin01-${draw(BASE62, 10)}`,
  },
  { type: 'TWILIO_API_KEY', hit: () => `SK${draw(HEX, 32)}`, miss: () => `SK${draw(HEX, 31)}` },
  {
    type: 'SENDGRID_API_KEY',
    hit: () => `SG.${draw(URL_SAFE, 22)}.${draw(URL_SAFE, 43)}`,
    miss: () => `SG.${draw(BASE62, 21)}.${draw(BASE62, 43)}`,
  },
  { type: 'NPM_TOKEN', hit: () => `npm_${draw(BASE62, 36)}`, miss: () => `npm_${draw(BASE62, 35)}` },
  {
    type: 'NPM_TOKEN',
    hit: () => `//registry.npmjs.org/:_authToken=${uuid4()}`,
    miss: () => `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}`,
  },
  {
    type: 'PYPI_TOKEN',
    hit: () => `pypi-AgEIcHlwaS5vcmc${draw(URL_SAFE, 70)}`,
    miss: () => `pypi-AgE${draw(BASE62, 20)}`,
  },
  {
    type: 'HUGGINGFACE_TOKEN',
    hit: () => `hf_${draw(LETTERS, 34)}`,
    miss: () => `hf_${draw(LETTERS, 33)}`,
  },
  {
    type: 'MAILCHIMP_API_KEY',
    hit: () => `${draw(HEX, 32)}-us14`,
    miss: () => `${draw(HEX, 32)}-uk14`,
  },
  {
    type: 'MAILGUN_API_KEY',
    hit: () => `key-${draw(HEX, 32)}`,
    miss: () => `key-${draw(HEX, 31)}`,
  },
  {
    type: 'MAILGUN_API_KEY',
    hit: () => `${draw(HEX, 32)}-${draw(HEX, 8)}-${draw(HEX, 8)}`,
    miss: () => `${draw(HEX, 32)}-${draw(HEX, 8)}-${draw(HEX, 7)}`,
  },
  { type: 'SHOPIFY_TOKEN', hit: () => `shpat_${draw(HEX, 32)}`, miss: () => `shpat_${draw('ghijkl', 32)}` },
  {
    type: 'DIGITALOCEAN_TOKEN',
    hit: () => `dop_v1_${draw(HEX, 64)}`,
    miss: () => `dop_v1_${draw(HEX, 63)}`,
  },
  { type: 'DATABRICKS_TOKEN', hit: () => `dapi${draw(HEX, 32)}`, miss: () => `dapi${draw(HEX, 31)}` },
  {
    type: 'DOPPLER_TOKEN',
    hit: () => `dp.pt.${draw(BASE62, 43)}`,
    miss: () => `dp.zz.${draw(BASE62, 43)}`,
  },
  { type: 'VAULT_TOKEN', hit: () => `hvs.${draw(URL_SAFE, 90)}`, miss: () => `hvs.${draw(BASE62, 12)}` },
  {
    type: 'ATLASSIAN_API_TOKEN',
    hit: () => `ATATT3${draw(`${URL_SAFE}=`, 180)}`,
    miss: () => `ATATT3${draw(BASE62, 60)}`,
  },
  {
    type: 'LINEAR_API_KEY',
    hit: () => `lin_api_${draw(BASE62, 40)}`,
    miss: () => `lin_api_${draw(BASE62, 39)}`,
  },
  {
    type: 'NOTION_TOKEN',
    hit: () => `ntn_${draw('0123456789', 11)}${draw(BASE62, 35)}`,
    miss: () => `ntn_${draw(LETTERS, 46)}`,
  },
  {
    type: 'POSTMAN_API_KEY',
    hit: () => `PMAK-${draw(HEX, 24)}-${draw(HEX, 34)}`,
    miss: () => `PMAK-${draw(HEX, 23)}-${draw(HEX, 34)}`,
  },
  { type: 'PULUMI_TOKEN', hit: () => `pul-${draw(HEX, 40)}`, miss: () => `pul-${draw(HEX, 39)}` },
  {
    type: 'GRAFANA_TOKEN',
    hit: () => `glsa_${draw(BASE62, 32)}_${draw(HEX, 8)}`,
    miss: () => `glc_${'1'.repeat(42)}=`,
  },
  {
    type: 'NEW_RELIC_KEY',
    hit: () => `NRAK-${draw(UPPER_DIGITS, 27)}`,
    miss: () => `NRAK-${draw(UPPER_DIGITS, 26)}`,
  },
  {
    type: 'SENTRY_TOKEN',
    hit: () => `sntrys_eyJ${draw(BASE64, 120)}`,
    miss: () => `sntrys_${draw(BASE62, 12)}`,
  },
  {
    type: 'SQUARE_TOKEN',
    hit: () => `sq0atp-${draw(URL_SAFE, 22)}`,
    miss: () => `sq0atp-${draw(BASE62, 12)}`,
  },
  {
    type: 'TELEGRAM_BOT_TOKEN',
    hit: () => `${digits(10)}:AA${draw(URL_SAFE, 33)}`,
    miss: () => `${digits(10)}:AB${draw(URL_SAFE, 33)}`,
  },
  {
    type: 'DISCORD_TOKEN',
    hit: () => `${Buffer.from(digits(18)).toString('base64url')}.${draw(URL_SAFE, 6)}.${draw(URL_SAFE, 38)}`,
    miss: () => `A${draw(BASE62, 23)}.${draw(URL_SAFE, 6)}.${draw(URL_SAFE, 38)}`,
  },
  {
    type: 'AZURE_STORAGE_KEY',
    hit: () => `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${draw(BASE64, 86)}==;`,
    miss: () => 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<storage-account-key>;',
  },
  {
    type: 'AZURE_STORAGE_KEY',
    hit: () => `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKey=${draw(BASE64, 43)}=`,
    miss: () => 'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKey=<key>',
  },
  {
    type: 'AZURE_SAS_TOKEN',
    hit: () =>
      `https://acme.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=${draw(BASE62, 40)}%2B${draw(BASE62, 3)}%3D`,
    miss: () => 'https://acme.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=XXXXXXXX',
  },
  {
    type: 'GCP_SERVICE_ACCOUNT_KEY',
    hit: () => `{"type": "service_account", "private_key_id": "${draw(HEX, 40)}"}`,
    miss: () => `{"type": "service_account", "private_key_id": "${draw(HEX, 39)}"}`,
  },
  {
    type: 'ONEPASSWORD_TOKEN',
    hit: () => `ops_eyJ${draw(BASE64, 260)}`,
    miss: () => `ops_eyJ${draw(BASE64, 60)}`,
  },
  {
    type: 'AGE_SECRET_KEY',
    hit: () => `AGE-SECRET-KEY-1${draw(BECH32, 58)}`,
    miss: () => `AGE-SECRET-KEY-1${draw(BECH32, 57)}B`,
  },
  {
    type: 'HEROKU_API_KEY',
    hit: () => `HRKU-AA${draw(URL_SAFE, 58)}`,
    miss: () => `HRKU-AA${draw(BASE62, 57)}`,
  },
  { type: 'ALIBABA_ACCESS_KEY', hit: () => `LTAI${draw(BASE62, 20)}`, miss: () => `LTAI${draw(BASE62, 19)}` },
  { type: 'TENCENT_SECRET_ID', hit: () => `AKID${draw(BASE62, 32)}`, miss: () => `AKID${draw(BASE62, 31)}` },
  {
    type: 'GOOGLE_OAUTH_CLIENT_SECRET',
    hit: () => `GOCSPX-${draw(URL_SAFE, 28)}`,
    miss: () => `GOCSPX-${draw(URL_SAFE, 27)}`,
  },
  {
    type: 'FIREBASE_CLOUD_MESSAGING_KEY',
    hit: () => `AAAA${draw(URL_SAFE, 7)}:APA91b${draw(URL_SAFE, 134)}`,
    miss: () => `AAAA${draw(URL_SAFE, 7)}:APA91b${draw(URL_SAFE, 40)}`,
  },
  {
    type: 'DOCKER_HUB_TOKEN',
    hit: () => `dckr_pat_${draw(URL_SAFE, 27)}`,
    miss: () => `dckr_pat_${draw(BASE62, 20)}`,
  },
  {
    type: 'JFROG_TOKEN',
    hit: () => `AKCp${draw(BASE62, 69)}`,
    miss: () => `AKCp${draw(BASE62, 60)}`,
  },
  {
    type: 'OPENROUTER_API_KEY',
    hit: () => `sk-or-v1-${draw(HEX, 64)}`,
    miss: () => `sk-or-v1-${draw(HEX, 63)}`,
  },
  { type: 'NETLIFY_TOKEN', hit: () => `nfp_${draw(BASE62, 36)}`, miss: () => `nfp_${draw(BASE62, 35)}` },
  { type: 'BUILDKITE_TOKEN', hit: () => `bkua_${draw(HEX, 40)}`, miss: () => `bkua_${draw(HEX, 39)}` },
  {
    type: 'PLAID_TOKEN',
    hit: () => `access-sandbox-${uuid4()}`,
    miss: () => `access-staging-${uuid4()}`,
  },
  {
    type: 'DISCORD_WEBHOOK',
    hit: () => `https://discord.com/api/webhooks/${digits(19)}/${draw(URL_SAFE, 68)}`,
    miss: () => `https://discord.com/api/webhooks/${digits(10)}/${draw(URL_SAFE, 68)}`,
  },
  {
    type: 'PROVIDER_SECRET',
    hit: () => `DATADOG_API_KEY=${draw(HEX, 32)}`,
    miss: () => 'DATADOG_SITE=datadoghq.eu',
  },
  {
    type: 'PROVIDER_SECRET',
    hit: () => `sourcegraph: ${draw(HEX, 40)}`,
    miss: () => `okta_client_id = "${draw(BASE62, 20)}"`,
  },
  {
    type: 'GENERIC_SECRET',
    hit: () => `api_key = "${draw(BASE62, 32)}"`,
    miss: () => 'api_key = "<YOUR_API_KEY>"',
  },
  {
    type: 'GENERIC_SECRET',
    hit: () => `-H "Token: ${draw(HEX, 16)}"`,
    miss: () => `secret_key = "\${SECRET_KEY}"`,
  },
  {
    type: 'CLI_USER_PASSWORD',
    // Letters only, but mixed case at random: a generated password, not a word.
    hit: () => `curl -u developer:${draw(LETTERS, 16)} https://api.example.net`,
    miss: () => 'curl -u developer:Password https://api.example.net',
  },
  {
    type: 'CLI_USER_PASSWORD',
    hit: () => `curl -u "${draw(BASE62, 20)}:" https://api.example.net`,
    miss: () => 'curl -u admin: https://api.example.net',
  },
  {
    type: 'TWITTER_BEARER_TOKEN',
    hit: () => `${'A'.repeat(22)}${draw(BASE62, 20)}%2B${draw(BASE62, 24)}%3D${draw(BASE62, 40)}`,
    // The same run of `A`s and length, but no URL-encoded character: not the bearer-token layout.
    miss: () => `${'A'.repeat(22)}${draw(BASE62, 90)}`,
  },
  {
    type: 'FLUTTERWAVE_SECRET_KEY',
    hit: () => `FLWSECK_TEST-${draw('abcdefgh0123456789', 32)}-X`,
    // Public keys share the layout and are meant to be published.
    miss: () => `FLWPUBK_TEST-${draw('abcdefgh0123456789', 32)}-X`,
  },
  {
    type: 'DUFFEL_API_TOKEN',
    hit: () => `duffel_live_${draw(URL_SAFE, 43)}`,
    miss: () => `duffel_live_${draw(URL_SAFE, 30)}`,
  },
  {
    type: 'DEFINED_NETWORKING_KEY',
    hit: () => `dnkey-${draw(`${HEX}xyz`, 26)}-${draw(`${HEX}xyz`, 52)}`,
    miss: () => `dnkey-${draw(HEX, 26)}`,
  },
  {
    type: 'YANDEX_TOKEN',
    hit: () => `AQVN${draw(URL_SAFE, 36)}`,
    miss: () => `AQVN${draw(URL_SAFE, 20)}`,
  },
  {
    type: 'YANDEX_TOKEN',
    hit: () => `y0_${draw(URL_SAFE, 60)}`,
    // A snake_case identifier that happens to start with `y0_` has no random body.
    miss: () => `y0_${'coordinate_of_the_upper_left_corner_in_pixels_'.repeat(2)}`,
  },
  {
    type: 'POSTHOG_PERSONAL_API_KEY',
    hit: () => `phx_${draw(BASE62, 43)}`,
    // Project keys (`phc_`) are public by design.
    miss: () => `phc_${draw(BASE62, 43)}`,
  },
  {
    type: 'LANGFUSE_SECRET_KEY',
    hit: () => `sk-lf-${uuid4()}`,
    // The public half of the key pair.
    miss: () => `pk-lf-${uuid4()}`,
  },
  {
    type: 'HUBSPOT_ACCESS_TOKEN',
    hit: () => `pat-na1-${uuid4()}`,
    // No region: a plain UUID after `pat-` is an identifier.
    miss: () => `pat-${uuid4()}`,
  },
  {
    type: 'NUGET_API_KEY',
    hit: () => `oy2${draw('abcdefghijklmnopqrstuvwxyz0123456789', 43)}`,
    // One character short of the documented 46.
    miss: () => `oy2${draw('abcdefghijklmnopqrstuvwxyz0123456789', 42)}`,
  },
  {
    type: 'ELEVENLABS_API_KEY',
    hit: () => `sk_${draw(HEX, 48)}`,
    miss: () => `sk_${draw(HEX, 40)}`,
  },
  {
    type: 'DEEPSEEK_API_KEY',
    hit: () => `sk-${draw(HEX, 32)}`,
    // Glued to more hex: a longer value, not this layout.
    miss: () => `sk-${draw(HEX, 36)}`,
  },
  {
    type: 'ADAFRUIT_IO_KEY',
    hit: () => `aio_${draw(BASE62, 28)}`,
    miss: () => `aio_${draw(BASE62, 20)}`,
  },
  {
    type: 'RENDER_API_KEY',
    hit: () => `rnd_${draw(BASE62, 32)}`,
    miss: () => `rnd_${draw(BASE62, 16)}`,
  },
  {
    type: 'SLACK_TOKEN',
    // Rotating tokens carry a long base64 body rather than numeric ids.
    hit: () => `xoxe.xoxp-1-${draw(BASE62, 140)}`,
    miss: () => `xoxe.xoxp-1-${'x'.repeat(40)}`,
  },
  {
    type: 'DATABASE_URL',
    // Redis has no user name: the password follows the colon at once.
    hit: () => `redis://:${draw(BASE62, 20)}@cache.internal:6379/0`,
    miss: () => 'redis://:password@cache.internal:6379/0',
  },
  {
    type: 'PRIVATE_KEY',
    hit: () =>
      `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n${draw(BASE64, 64)}\n${draw(BASE64, 4)}\nPrivate-Lines: 1\n${draw(BASE64, 44)}\nPrivate-MAC: ${draw(HEX, 64)}`,
    // The header alone, as in a sentence about the format.
    miss: () => 'PuTTY-User-Key-File-3: files hold a Private-Lines block',
  },
  {
    type: 'GENERIC_SECRET',
    hit: () => `The wifi password is ${draw(BASE62, 12)}.`,
    miss: () => 'The password is ________.',
  },
  {
    type: 'GENERIC_SECRET',
    hit: () => `machine api.internal login deploy password ${draw(BASE62, 18)}`,
    miss: () => 'the password is incorrect, try again',
  },
];

describe('credential formats', () => {
  for (const { type, hit, miss } of CASES) {
    it(`${type}: detects the documented format and not a near miss`, () => {
      const value = hit();
      expect(secretTypes(`use ${value} now`), value).toContain(type);
      const near = miss();
      expect(secretTypes(`use ${near} now`), near).toEqual([]);
    });
  }

  it('never reports the value of one provider under another prefix glued to a word', () => {
    const value = `ghp_${draw(BASE62, 36)}`;
    expect(secretTypes(`x${githubToken('ghp')}`)).toEqual([]);
    expect(secretTypes(`use ${value} now`)).toEqual([]);
  });

  it('flags every copy of a key pasted twice, on one line or on two', () => {
    const key = draw(BASE62, 24);
    for (const text of [`api_key = "${key}"\napi_key = "${key}"`, `old_token="${key}"; new_token="${key}"`]) {
      expect(
        scanner.scan(text).matches.map((m) => m.value),
        text,
      ).toEqual([key, key]);
    }
  });

  it('flags literals assigned to secret names but not code on the right-hand side', () => {
    expect(secretTypes(`password = "${draw(BASE62, 10)}!"`)).toEqual(['GENERIC_SECRET']);
    expect(secretTypes(`TWILIO_AUTH_TOKEN=${draw(HEX, 32)}`)).toEqual(['PROVIDER_SECRET']);
    for (const code of [
      'password = self._get_password(url, username)',
      'token = self._lexer.token',
      'exports.X509AuthorityKeyIDExtension = X509AuthorityKeyIDExtension;',
      'RegOpenKeyEx = win32api.RegOpenKeyEx',
      's.keywords=s.keywords||s.beginKeywords;',
      "names = ['RC4_KEY', '__darwin_ucontext64_t', 'pkcs7_encrypted_st']",
      'POSITIONAL_OR_KEYWORD = _POSITIONAL_OR_KEYWORD',
      'pulse_segments = self._get_pulse_segments(back_color, color)',
      "api_key = 'NSURLCredentialStorage'",
    ]) {
      expect(secretTypes(code), code).toEqual([]);
    }
  });

  it('keeps a long key whose random body happens to spell a placeholder word', () => {
    const body = `${draw(BASE64, 800)}Here${draw(BASE64, 800)}`;
    const lines = body.match(/.{1,64}/g)!.join('\n');
    const pem = `-----BEGIN PRIVATE KEY-----\n${lines}\n-----END PRIVATE KEY-----`;
    expect(secretTypes(pem)).toEqual(['PRIVATE_KEY']);
    expect(secretTypes(`use xoxb-${digits(12)}-${draw(BASE62, 10)}here${draw(BASE62, 10)} now`)).toEqual([]);
  });

  it('redacts the whole credential so no character of it survives', () => {
    const value = `sk-ant-api03-${draw(URL_SAFE, 93)}AA`;
    const [match] = scanner.scan(`key ${value}.`).matches;
    expect(match).toMatchObject({ type: 'ANTHROPIC_API_KEY', start: 4, end: 4 + value.length });
  });
});
