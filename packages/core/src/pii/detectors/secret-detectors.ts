import { parseApiKey } from '../../identity/api-key-format.js';
import type { PiiDetector } from '../types.js';
import { hasAsciiDigit } from '../validators/ascii.js';
import { shannonEntropy } from '../validators/entropy.js';
import { githubTokenChecksumValid } from '../validators/github-token.js';
import { jwtValid } from '../validators/jwt.js';
import { re2 } from '../validators/re2-cache.js';
import { assignedCode, secretLengthPossible, secretValueValid } from '../validators/secret-value.js';

const CREDENTIAL = 40;

/** A provider token with a fixed prefix: high priority, bounded by alphanumerics on both sides. */
function token(type: string, pattern: string, extra: Partial<PiiDetector> = {}): PiiDetector {
  return { type, category: 'secret', pattern, boundary: 'alnum', window: 64, priority: CREDENTIAL, ...extra };
}

/** At least `min` characters long: exact-length formats are matched by prefix, checked here. */
const minLength =
  (min: number) =>
  (value: string): boolean =>
    value.length >= min;

/** Random-looking: enough distinct characters that a documentation placeholder does not pass. */
const randomish =
  (min: number) =>
  (value: string): boolean =>
    shannonEntropy(value) >= min;

/**
 * The text before a value names a thing rather than a secret (`credentialsId: '…'`, `secret_length = …`,
 * `tokenFile=…`), or a public key or anti-forgery token, which are not credentials. Matched against
 * the lower-cased text just before the value.
 */
const NOT_A_SECRET_NAME = re2(
  String.raw`(?:id|ids|name|names|url|uri|length|len|file|path|type|variable|size|count|version|format|location|endpoint|header|prefix|(?:public|pubkey|pub_key|csrf|xsrf)[a-z0-9_.-]{0,24})["'\]]?[ 	]*(?:[a-z]{3,8}[ 	]+)?(?:=|:=|:|=>|>\s*)[ 	]*["'${'`'}]?$`,
);

/** Providers whose keys have no prefix of their own (hex, UUID or plain base62 values). */
const PROVIDER_NAMES = [
  'algolia',
  'amplitude',
  'assemblyai',
  'azure',
  'bitbucket',
  'cloudflare',
  'cohere',
  'datadog',
  'deepgram',
  'deepseek',
  'elevenlabs',
  'fastly',
  'fireworks',
  'heroku',
  'hubspot',
  'launchdarkly',
  'mapbox',
  'mixpanel',
  'okta',
  'pagerduty',
  'postmark',
  'snyk',
  'sourcegraph',
  'sumo',
  'twilio',
  'wandb',
  'zendesk',
].join('|');

const ANY_UUID = re2('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$');

const DB_SCHEMES =
  'postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|couchdb|neo4j(?:\\+s)?|jdbc:[a-z]+';
/** Longest URL scheme taken as one (`postgresql+asyncpg`, `git+ssh`, `mongodb+srv`). */
const MAX_SCHEME = 21;
const PASSWORD_PLACEHOLDER = re2(
  String.raw`^(?:password|pass|passwd|pwd|secret|changeme|\*+|x+|\.+|<[^>]*>|\$\{?[\w.]+\}?|\{\{[^}]*\}\}|%[\w]+%?|:?[a-z_]*password[a-z_]*)$`,
  'i',
);

/**
 * Built-in credential detectors: provider formats as documented by each provider (prefixes,
 * lengths, alphabets, GitHub's CRC32 checksum), JWTs, PEM private keys, URLs and database URLs
 * with passwords, and high-entropy values assigned to secret-like names.
 */
export const SECRET_DETECTORS: readonly PiiDetector[] = [
  token(
    'AWS_ACCESS_KEY',
    '(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z2-7]{16}',
  ),
  token(
    'AWS_SECRET_KEY',
    '(?i:aws)[A-Za-z0-9_.-]{0,30}(?i:secret|private)[A-Za-z0-9_.-]{0,20}["\']?\\s{0,3}(?:[:=]|:=|=>)\\s{0,3}["\']?([A-Za-z0-9/+=]{40})',
    {
      valueGroup: 1,
      boundary: 'none',
      window: 120,
    },
  ),
  token('AWS_BEDROCK_KEY', 'ABSK[A-Za-z0-9+/]{40,}={0,2}|bedrock-api-key-[A-Za-z0-9+/]{20,}={0,2}', {
    // Long-lived keys carry ~100 base64 chars; short-lived ones encode a whole presigned URL.
    validate: (v) => v.length >= (v.startsWith('ABSK') ? 100 : 60),
  }),
  {
    // `curl -u user:password` and `--user user:password`.
    type: 'CLI_USER_PASSWORD',
    category: 'secret',
    // `-u "sk_live_…:"`: an API key sent as the user name with an empty password.
    pattern: '(?:\\s-u|--user)[ \\t=]+["\']?([^\\s:"\']{0,64}["\']?:["\']?[^\\s"\']{4,}|[^\\s:"\']{8,64}:)',
    valueGroup: 1,
    boundary: 'none',
    window: 96,
    priority: CREDENTIAL - 3,
    validate: (value) =>
      value.endsWith(':')
        ? secretValueValid(value.slice(0, -1), true)
        : secretValueValid(value.slice(value.indexOf(':') + 1).replace(re2('^["\']'), ''), true),
  },
  {
    // `.npmrc` (`//host/path/:_authToken=…`, legacy UUID tokens too), `_auth=`, `_password=`.
    type: 'NPM_TOKEN',
    category: 'secret',
    pattern:
      '//[^\\s/:]{1,253}(?:/[^\\s:]{0,200})?/:_(?:authToken|auth|password)[ \\t]*=[ \\t]*["\']?([A-Za-z0-9_+/=.-]{8,})',
    valueGroup: 1,
    boundary: 'none',
    window: 96,
    priority: CREDENTIAL,
    // Legacy npm tokens are bare UUIDs of any version; here the key name makes them credentials.
    validate: (value) => ANY_UUID.test(value) || secretValueValid(value, true),
  },
  {
    // Bundler credentials for private gem servers: BUNDLE_GEMS__EXAMPLE__COM=user:password.
    type: 'BUNDLER_CREDENTIALS',
    category: 'secret',
    pattern: 'BUNDLE_[A-Z0-9_]+__[A-Z]{2,}[ \\t]*[:=][ \\t]*["\']?([^\\s"\';&:]+:[^\\s"\';&]+)',
    valueGroup: 1,
    boundary: 'none',
    window: 96,
    priority: CREDENTIAL,
  },
  token('FACEBOOK_APP_TOKEN', '\\d{15,16}\\|[A-Za-z0-9_-]{27}'),
  token('INTRA42_CLIENT_SECRET', 's-s4t2(?:ud|af)-[a-f0-9]{64}', { window: 80 }),
  token(
    'SUMOLOGIC_ACCESS_ID',
    '(?i:sumo)[A-Za-z0-9_.-]{0,24}["\']?[ \\t]{0,4}(?:=|:|:=|=>)[ \\t]{0,4}["\']?(su[A-Za-z0-9]{12})',
    {
      valueGroup: 1,
      boundary: 'none',
      window: 80,
      validate: randomish(3.0),
    },
  ),
  token('GCP_API_KEY', 'AIza[0-9A-Za-z_-]{35}'),
  token('GCP_SERVICE_ACCOUNT_KEY', '"private_key_id"\\s*:\\s*"([a-f0-9]{40})"', {
    valueGroup: 1,
    boundary: 'none',
  }),
  token('AZURE_CLIENT_SECRET', '[A-Za-z0-9_~.-]{3}\\d[Q8]~[A-Za-z0-9_~.-]{31,34}', { boundary: 'alnum' }),
  token('AZURE_STORAGE_KEY', '(?i:AccountKey)=([A-Za-z0-9+/]{86}==)', {
    valueGroup: 1,
    boundary: 'none',
    window: 110,
  }),
  token('GITHUB_TOKEN', 'gh[pousr]_[A-Za-z0-9]{36}', { validate: githubTokenChecksumValid }),
  // llmguard's own API keys (docs/identity.md): the checksum rejects look-alikes without a lookup.
  token('LLMGUARD_API_KEY', 'llmg_[A-Za-z0-9]{12}_[A-Za-z0-9]{38}', {
    validate: (value) => parseApiKey(value) !== undefined,
  }),
  token('GITHUB_TOKEN', 'github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}', { window: 96 }),
  token(
    'GITLAB_TOKEN',
    'gl(?:pat|ptt|rt|dt|cbt|imt|oas|ft|soat|sr|cr)-[A-Za-z0-9_-]{20,}(?:\\.[A-Za-z0-9]{2}\\.[A-Za-z0-9]{7,9})?|glagent-[A-Za-z0-9_-]{50,}|GR1348941[A-Za-z0-9_-]{20,}',
    {
      boundary: 'word',
      validate: gitlabTokenValid,
    },
  ),
  token('SLACK_TOKEN', 'xox[abprse](?:\\.xox[abp])?-[A-Za-z0-9-]{10,}|xapp-\\d-[A-Za-z0-9-]{10,}', {
    validate: (v) =>
      v.length >= 24 &&
      !v.endsWith('-') &&
      // Bot and user tokens carry numeric team and user ids; rotating ones (`xoxe.xoxp-1-…`,
      // `xoxe-1-…`) a long base64 body instead.
      (re2(String.raw`\d{4}`).test(v) ? shannonEntropy(v) >= 2.5 : v.length >= 64 && shannonEntropy(v) >= 4),
  }),
  token('SLACK_WEBHOOK', 'hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}', {
    boundary: 'none',
  }),
  token('STRIPE_KEY', '(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99}|whsec_[A-Za-z0-9]{24,}'),
  token(
    'OPENAI_API_KEY',
    'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-[A-Za-z0-9]{48}',
    {
      window: 72,
    },
  ),
  // The full documented shape (93 body characters, `AA` suffix) is a key even if it reads like a sample.
  token('ANTHROPIC_API_KEY', 'sk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{93}AA', {
    priority: CREDENTIAL + 1,
    window: 128,
    strictFormat: true,
  }),
  token('ANTHROPIC_API_KEY', 'sk-ant-(?:api|admin|oat|sid)\\d{2}-[A-Za-z0-9_-]{20,}', {
    priority: CREDENTIAL + 1,
  }),
  token('TWILIO_API_KEY', 'SK[0-9a-fA-F]{32}', { validate: randomish(3.0) }),
  token('SENDGRID_API_KEY', 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', { window: 80 }),
  token('NPM_TOKEN', 'npm_[A-Za-z0-9]{36}', { validate: randomish(3.0) }),
  token('PYPI_TOKEN', 'pypi-AgE[A-Za-z0-9_-]{50,}', { window: 64 }),
  token('HUGGINGFACE_TOKEN', 'hf_[A-Za-z]{34}|api_org_[A-Za-z]{34}', { validate: randomish(3.5) }),
  token('MAILCHIMP_API_KEY', '[0-9a-f]{32}-us\\d{1,2}'),
  token('SHOPIFY_TOKEN', 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}'),
  token('DIGITALOCEAN_TOKEN', 'do[opr]_v1_[a-f0-9]{64}', { window: 80 }),
  token('DATABRICKS_TOKEN', 'dapi[a-f0-9]{32}(?:-\\d)?'),
  token('PERPLEXITY_API_KEY', 'pplx-[A-Za-z0-9]{48}'),
  token('ATLASSIAN_API_TOKEN', 'ATATT3[A-Za-z0-9_=-]{40,}', { validate: minLength(150) }),
  token('AGE_SECRET_KEY', 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}', { window: 80 }),
  token('CLOUDFLARE_ORIGIN_CA_KEY', 'v1\\.0-[a-f0-9]{24}-[a-f0-9]{40,}', { validate: minLength(176) }),
  token('CLICKHOUSE_API_SECRET', '4b1d[A-Za-z0-9]{38}'),
  token('FLYIO_TOKEN', 'fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{40,}={0,3}', {
    validate: (v) => v.startsWith('fo1_') || v.length >= 100,
  }),
  token('GRAFANA_TOKEN', 'glc_[A-Za-z0-9+/]{32,}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}', {
    validate: randomish(3.0),
  }),
  token('HASHICORP_TF_TOKEN', '[a-z0-9]{14}\\.atlasv1\\.[a-z0-9_=-]{60,70}', { window: 100 }),
  token('HEROKU_API_KEY', 'HRKU-AA[0-9a-zA-Z_-]{58}', { window: 80 }),
  token('INFRACOST_TOKEN', 'ico-[a-zA-Z0-9]{32}'),
  token('LINEAR_API_KEY', 'lin_api_[a-zA-Z0-9]{40}'),
  token('MAXMIND_LICENSE_KEY', '[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk'),
  token('NOTION_TOKEN', 'ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}'),
  token('POSTMAN_API_KEY', 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}'),
  token('PULUMI_TOKEN', 'pul-[a-f0-9]{40}'),
  token('SENTRY_TOKEN', 'sntry[su]_[A-Za-z0-9+/=_]{40,}'),
  token('SONAR_TOKEN', 'sq[pau]_[A-Za-z0-9]{40}'),
  token('SOURCEGRAPH_TOKEN', 'sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40}', {
    validate: randomish(3.0),
  }),
  token('SQUARE_TOKEN', 'sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}|EAAA[A-Za-z0-9_-]{60}'),
  token('TELEGRAM_BOT_TOKEN', '\\d{8,10}:AA[A-Za-z0-9_-]{33}'),
  token('VAULT_TOKEN', 'hv[sbr]\\.[A-Za-z0-9_-]{24,}', { validate: randomish(3.0) }),
  token('FACEBOOK_ACCESS_TOKEN', 'EAA[MC][A-Za-z0-9]{40,}', { validate: minLength(100) }),
  token(
    'ONEPASSWORD_TOKEN',
    'ops_eyJ[A-Za-z0-9+/]{40,}={0,3}|A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}',
    {
      validate: (v) => !v.startsWith('ops_') || v.length >= 200,
    },
  ),
  token('OPENSHIFT_TOKEN', 'sha256~[A-Za-z0-9_-]{43}'),
  token('MAILGUN_API_KEY', 'key-[a-f0-9]{32}', { validate: randomish(3.0) }),
  token('BREVO_API_KEY', 'xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}', { window: 96 }),
  token('DOPPLER_TOKEN', 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}'),
  token('DROPBOX_TOKEN', 'sl\\.[A-Za-z0-9_-]{40,}', { validate: minLength(130) }),
  token('NEW_RELIC_KEY', 'NRAK-[A-Z0-9]{27}|NRJS-[a-f0-9]{19}|NRII-[A-Za-z0-9_-]{32}'),
  token('AIRTABLE_TOKEN', 'pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}', { window: 96 }),
  token('CONTENTFUL_TOKEN', 'CFPAT-[A-Za-z0-9_-]{43}'),
  token('DYNATRACE_TOKEN', 'dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}', { window: 100 }),
  token('EASYPOST_API_KEY', 'EZ[AT]K[A-Za-z0-9]{54}', { window: 72 }),
  token('MAPBOX_SECRET_TOKEN', 'sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}'),
  token('PLANETSCALE_TOKEN', 'pscale_(?:tkn|oauth|pw)_[A-Za-z0-9=._-]{32,64}'),
  token('PREFECT_API_KEY', 'pnu_[A-Za-z0-9]{36}'),
  token('README_API_KEY', 'rdme_[a-z0-9]{70}', { window: 80 }),
  token('RUBYGEMS_API_KEY', 'rubygems_[a-f0-9]{48}'),
  token('SHIPPO_API_KEY', 'shippo_(?:live|test)_[a-fA-F0-9]{40}'),
  token('TYPEFORM_TOKEN', 'tfp_[A-Za-z0-9_.=-]{59}', { window: 72 }),
  token('REPLICATE_API_TOKEN', 'r8_[A-Za-z0-9]{37}'),
  token('GROQ_API_KEY', 'gsk_[A-Za-z0-9]{52}'),
  // ElevenLabs: `sk_` and 48 hex digits (Stripe's `sk_live_…` has a mode word, not hex).
  token('ELEVENLABS_API_KEY', 'sk_[a-f0-9]{48}', { validate: randomish(3.5) }),
  // DeepSeek, and Alibaba DashScope, which uses the same layout: `sk-` and 32 hex digits.
  token('DEEPSEEK_API_KEY', 'sk-[a-f0-9]{32}', { validate: randomish(3.3) }),
  token('ADAFRUIT_IO_KEY', 'aio_[A-Za-z0-9]{28}', { validate: randomish(3.5) }),
  token('RENDER_API_KEY', 'rnd_[A-Za-z0-9]{32,40}', { validate: randomish(3.5) }),
  token('XAI_API_KEY', 'xai-[A-Za-z0-9]{80}', { window: 96 }),
  token('TAILSCALE_KEY', 'tskey-(?:api|auth|client|webhook)-[A-Za-z0-9]{6,}-[A-Za-z0-9]{20,}'),
  token('SUPABASE_TOKEN', 'sbp_[a-f0-9]{40}'),
  token('LANGSMITH_API_KEY', 'lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}'),
  token('PINECONE_API_KEY', 'pcsk_[A-Za-z0-9_]{40,}'),
  token('SCALINGO_TOKEN', 'tk-us-[A-Za-z0-9_-]{48}'),
  token('BRAINTREE_ACCESS_TOKEN', 'access_token\\$(?:production|sandbox)\\$[0-9a-z]{16}\\$[0-9a-f]{32}', {
    window: 96,
  }),
  token('ALIBABA_ACCESS_KEY', 'LTAI[A-Za-z0-9]{20}', { validate: randomish(3.0) }),
  token('ADOBE_CLIENT_SECRET', 'p8e-[A-Za-z0-9]{32}'),
  token('FRAMEIO_TOKEN', 'fio-u-[A-Za-z0-9_=-]{64}', { window: 80 }),
  token('DISCORD_TOKEN', '[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}', {
    validate: randomish(3.5),
  }),
  token('TENCENT_SECRET_ID', 'AKID[A-Za-z0-9]{32}', { validate: randomish(3.5) }),
  token('GOOGLE_OAUTH_CLIENT_SECRET', 'GOCSPX-[A-Za-z0-9_-]{28}'),
  token('GOOGLE_OAUTH_TOKEN', 'ya29\\.[A-Za-z0-9_-]{30,}|1//0[A-Za-z0-9_-]{40,}', {
    validate: randomish(3.5),
  }),
  token('FIREBASE_CLOUD_MESSAGING_KEY', 'AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{100,}', { window: 128 }),
  token('DOCKER_HUB_TOKEN', 'dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,}'),
  token('BITBUCKET_APP_PASSWORD', 'ATBB[A-Za-z0-9_=.-]{32}', { validate: randomish(3.5) }),
  // Azure "identifiable" keys (84 chars): a fixed `JQQJ9` marker at offset 52, then a service tag.
  token(
    'AZURE_IDENTIFIABLE_KEY',
    '[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?',
    {
      window: 96,
    },
  ),
  token('AZURE_SAS_TOKEN', '[?&]sig=((?:[A-Za-z0-9+/]|%2[BbFf]){40,90}(?:=|%3[Dd]){0,2})', {
    valueGroup: 1,
    boundary: 'none',
    window: 100,
    validate: randomish(4.0),
  }),
  token('AZURE_STORAGE_KEY', '(?i:SharedAccessKey)=([A-Za-z0-9+/]{43}=)', {
    valueGroup: 1,
    boundary: 'none',
    window: 64,
  }),
  token('DISCORD_WEBHOOK', 'discord(?:app)?\\.com/api/webhooks/\\d{17,20}/[A-Za-z0-9_-]{60,68}', {
    boundary: 'none',
    window: 110,
  }),
  token('TEAMS_WEBHOOK', '\\.webhook\\.office\\.com/webhookb2/[A-Za-z0-9@/_-]{100,}', {
    boundary: 'none',
    window: 128,
  }),
  token('NETLIFY_TOKEN', 'nfp_[A-Za-z0-9]{36}', { validate: randomish(3.5) }),
  token('DENO_DEPLOY_TOKEN', 'dd[pw]_[A-Za-z0-9]{36}', { validate: randomish(3.5) }),
  token('FIGMA_TOKEN', 'figd_[A-Za-z0-9_-]{40}', { validate: randomish(3.5) }),
  token('BUILDKITE_TOKEN', 'bkua_[a-f0-9]{40}'),
  token('CIRCLECI_TOKEN', 'CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}', { window: 80 }),
  token('JFROG_TOKEN', 'AKCp[A-Za-z0-9]{69}|cmVmdGtu[A-Za-z0-9]{56}', {
    window: 80,
    validate: randomish(4.0),
  }),
  token('SUPABASE_TOKEN', 'sb_secret_[A-Za-z0-9_-]{20,}', { validate: randomish(3.5) }),
  token('OPENROUTER_API_KEY', 'sk-or-v1-[a-f0-9]{64}', { window: 80 }),
  token('HARNESS_TOKEN', '(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}', {
    window: 80,
  }),
  token('OCTOPUS_DEPLOY_KEY', 'API-[A-Z0-9]{26}', { validate: randomish(3.5) }),
  token(
    'PLAID_TOKEN',
    '(?:access|public)-(?:sandbox|development|production)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}',
  ),
  token('ASANA_TOKEN', '[0-2]/\\d{16}(?:/\\d{16})?:[A-Za-z0-9]{32}', { validate: randomish(3.5) }),
  token('MAILGUN_API_KEY', '[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}', { validate: randomish(3.3) }),
  // X (Twitter) app-only bearer tokens: a run of `A`s, then URL-encoded base64 (`%2B`, `%3D`).
  token('TWITTER_BEARER_TOKEN', 'A{20,24}[A-Za-z0-9%]{70,140}', {
    window: 96,
    validate: (v) => v.includes('%') && shannonEntropy(v.replace(re2('^A+'), '')) >= 4.0,
  }),
  token('FLUTTERWAVE_SECRET_KEY', 'FLWSECK(?:_TEST)?-[a-h0-9]{32}-X|FLWSECK(?:_TEST)?[a-h0-9]{12}', {
    validate: randomish(3.0),
  }),
  token('DUFFEL_API_TOKEN', 'duffel_(?:test|live)_[A-Za-z0-9_=-]{43}', { window: 72 }),
  token('DEFINED_NETWORKING_KEY', 'dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}', { window: 96 }),
  // Yandex Cloud API keys (`AQVN…`), IAM tokens (`t1.…`) and OAuth tokens (`y0_…`).
  token(
    'YANDEX_TOKEN',
    'AQVN[A-Za-z0-9_-]{35,38}|t1\\.[A-Za-z0-9_-]+={0,2}\\.[A-Za-z0-9_-]{86}={0,2}|y[0-3]_[A-Za-z0-9_-]{55,199}',
    {
      window: 96,
      validate: (v) => shannonEntropy(v) >= 4.0 && hasAsciiDigit(v),
    },
  ),
  token('POSTHOG_PERSONAL_API_KEY', 'phx_[A-Za-z0-9]{43}', { validate: randomish(3.5) }),
  token('LANGFUSE_SECRET_KEY', 'sk-lf-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
  // HubSpot private-app access tokens: `pat-` and the data-centre region, then a UUID.
  token(
    'HUBSPOT_ACCESS_TOKEN',
    'pat-(?:na|eu|ap)\\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  ),
  // NuGet gallery API keys: `oy2` and 43 lower-case letters and digits.
  token('NUGET_API_KEY', 'oy2[a-z0-9]{43}', { validate: randomish(3.5) }),
  {
    // `DATADOG_API_KEY=…`, `"okta": {"token": …}`, `sourcegraph: …`: a provider's name in the key
    // and a random value; the provider has no distinctive prefix, so the name is the anchor.
    type: 'PROVIDER_SECRET',
    category: 'secret',
    pattern: `(?i:${PROVIDER_NAMES})[A-Za-z0-9_.-]{0,24}["']?[ \\t]{0,4}(?:=|:=|:|=>)[ \\t]{0,4}["'\`]?([A-Za-z0-9_+/=.-]{20,100})`,
    valueGroup: 1,
    boundary: 'none',
    window: 128,
    priority: CREDENTIAL - 5,
    validate: (value, text, start, end) => {
      // Generated keys of 20+ characters all but always hold a digit; code names rarely do.
      if (!hasAsciiDigit(value)) return false;
      if (NOT_A_SECRET_NAME.test(text.slice(Math.max(0, start - 48), start).toLowerCase())) return false;
      if (assignedCode(value, text, start, end)) return false;
      return secretValueValid(value, false) && shannonEntropy(value) >= 3.2;
    },
  },
  {
    type: 'JWT',
    category: 'secret',
    pattern: 'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*)?',
    boundary: 'alnum',
    window: 48,
    // Tokens with large claims run to tens of kilobytes; the streaming hold-back cap is 1 MiB.
    maxLength: 1 << 20,
    priority: CREDENTIAL,
    validate: jwtValid,
  },
  {
    // PuTTY key files (`.ppk`, formats 2 and 3): header lines, then the base64 `Public-Lines` and
    // `Private-Lines` blocks. Encrypted or not, like a PEM key, the file is the credential.
    type: 'PRIVATE_KEY',
    category: 'secret',
    // Header lines first: with the base64 alternative first, `Encryption` would end the match.
    pattern:
      'PuTTY-User-Key-File-[23]: [A-Za-z0-9@.-]{1,64}(?:\\r?\\n(?:[A-Za-z-]{1,30}: ?[^\\r\\n]{0,100}|[A-Za-z0-9+/=]{1,100}))*',
    boundary: 'none',
    window: 64,
    maxLength: 1 << 16,
    priority: CREDENTIAL + 5,
    validate: (value) => {
      const privateLines = value.indexOf('Private-Lines:');
      if (privateLines < 0) return false;
      const body = value
        .slice(privateLines)
        .replace(re2('^Private-Lines: ?\\d+|Private-MAC:[^\\n]*', 'gm'), '')
        .replace(re2('[^A-Za-z0-9+/=]', 'g'), '');
      return body.length >= 40 && shannonEntropy(body) >= 4;
    },
  },
  {
    // The body keeps growing until the END line, so a key cut off mid-stream is still held back.
    type: 'PRIVATE_KEY',
    category: 'secret',
    pattern:
      '-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----(?:(?:\\r?\\n|\\\\r?\\\\n|[ \\t])(?:[A-Za-z0-9+/=]{1,100}|[A-Za-z-]{1,30}: ?[A-Za-z0-9,. -]{1,100}))*(?:(?:\\r?\\n|\\\\r?\\\\n|[ \\t]){0,4}-----END[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----)?',
    boundary: 'none',
    window: 64,
    maxLength: 1 << 20,
    priority: CREDENTIAL + 5,
    validate: (value) => {
      // A real key has a base64 body; `-----BEGIN PRIVATE KEY-----\nanything\n-----END…` does not.
      const body = value
        .replace(re2('-----(?:BEGIN|END)[^-]*-----', 'g'), '')
        .replace(re2('[^A-Za-z0-9+/=]', 'g'), '');
      return body.length >= 40 && shannonEntropy(body) >= 4;
    },
  },
  {
    type: 'DATABASE_URL',
    category: 'secret',
    pattern: `(?i:${DB_SCHEMES})://[^\\s:/@"'\`]{0,128}:[^\\s@/"'\`]{1,256}(?:@[^\\s/"'\`?#]{1,255}(?:[/?#][^\\s"'\`]*)?|$)`,
    boundary: 'none',
    window: 48,
    priority: CREDENTIAL + 2,
    validate: (value) => credentialPasswordValid(value),
  },
  {
    type: 'URL_CREDENTIALS',
    category: 'secret',
    // The scheme is unbounded in the pattern and bounded here: a counted run that must start with a
    // letter (`[A-Za-z][…]{1,20}`) makes RE2's DFA track which of the last 20 characters were
    // letters, and random hex text then costs ~1 µs a character instead of ~20 ns.
    pattern: `[A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@"'\`]{0,128}:[^\\s@/"'\`]{1,256}(?:@[^\\s/"'\`?#]{1,255}(?:[/?#][^\\s"'\`]*)?|$)`,
    boundary: 'none',
    window: 48,
    priority: CREDENTIAL + 1,
    // Without `@` a candidate is only the end of the text, still held while a stream may complete it:
    // `scheme://a:b` followed by anything else has no credentials, so floods of it yield nothing.
    validate: (value) => value.indexOf('://') <= MAX_SCHEME && credentialPasswordValid(value),
  },
  {
    type: 'BASIC_AUTH_HEADER',
    category: 'secret',
    pattern:
      '(?i:authorization|x-api-key|api-key|api-token|x-auth-token|private-token|x-jfrog-art-api)["\']?[ \\t]{0,3}[:=][ \\t]{0,3}["\']?(?:[A-Za-z-]{2,20}[ \\t]+)?([A-Za-z0-9._~+/=@-]{10,})',
    valueGroup: 1,
    boundary: 'none',
    window: 96,
    priority: CREDENTIAL - 2,
    validate: (value) => secretValueValid(value, value.length < 16),
  },
  {
    // A password written out in a sentence (`my password is …`, `the passphrase was …`) or a
    // `.netrc` entry (`machine host login bob password …`): no `=` or `:` between name and value.
    type: 'GENERIC_SECRET',
    category: 'secret',
    pattern:
      '(?:(?i:passw(?:or)?d|passphrase|passcode)[ \\t]+(?i:is|was)[ \\t]+(?:(?i:now|still|set to)[ \\t]+)?|(?i:login)[ \\t]+[^\\s"\'`]{1,64}[ \\t]+(?i:password)[ \\t]+)["\'`\u201c\u2018]?([^\\s"\'`;,<>(){}\\[\\]\u201c\u201d\u2018\u2019]{6,64})',
    valueGroup: 1,
    boundary: 'none',
    window: 112,
    priority: CREDENTIAL - 6,
    validate: (value, text, start, end) => {
      // Sentence punctuation after the value is not part of it (`… is kW3X9!pq.`).
      let length = value.length;
      while (length > 0 && '.!?'.includes(value[length - 1]!)) length--;
      const candidate = value.slice(0, length);
      // A blank to fill in (`______`, `****`, `???`) is not a password.
      if (new Set(candidate.replace(re2('[^A-Za-z0-9]', 'g'), '')).size < 3) return false;
      if (!secretValueValid(candidate, true) || assignedCode(candidate, text, start, end)) return false;
      return length;
    },
  },
  {
    // `api_key = "…"`, `"client_secret": "…"`, `PASSWORD=…`, `-u user:password` in shell and config.
    type: 'GENERIC_SECRET',
    category: 'secret',
    pattern:
      '(?i:api[_.-]?key|apikey|secret|token|passw(?:or)?d|pwd|passphrase|access[_.-]?key|auth[_.-]?key|credentials?|private[_.-]?key|license[_.-]?key|login|[_.-]key|[a-z]Key)[A-Za-z0-9_.-]{0,24}(?:["\']?[ \\t]{0,4}(?:[A-Za-z]{3,8}[ \\t]{1,4})?(?:=|:=|::=|:::=|=>|:|\\.=|\\?=|\\|\\|:=)[ \\t]{0,4}|>\\s{0,12}|["\'][ \\t]*,[ \\t]*)["\'`]?([^\\s"\'`;,<>(){}\\[\\]]{6,})',
    valueGroup: 1,
    boundary: 'none',
    window: 112,
    priority: CREDENTIAL - 5,
    validate: (value, text, start, end) => {
      const head = text.slice(Math.max(0, start - 48), start).toLowerCase();
      const near = head.slice(-32);
      const passwordLike = near.includes('pass') || near.includes('pwd');
      // The cheap test first: a flood of short values (`secret: "secret: "…`) costs no regex call.
      if (!secretLengthPossible(value, passwordLike)) return false;
      if (NOT_A_SECRET_NAME.test(head)) return false;
      if (assignedCode(value, text, start, end)) return false;
      return secretValueValid(value, passwordLike);
    },
  },
];

const GITLAB_LENGTHS: Readonly<Record<string, number>> = {
  glpat: 20,
  glptt: 40,
  glrt: 20,
  gldt: 20,
  glcbt: 20,
  glimt: 25,
  gloas: 64,
  GR1348941: 20,
};

/** GitLab tokens have fixed lengths per prefix (routable `glpat-` tokens are longer and dotted). */
function gitlabTokenValid(value: string): boolean {
  const dash = value.indexOf('-');
  const prefix = value.startsWith('GR1348941') ? 'GR1348941' : value.slice(0, dash);
  const body = value.slice(prefix.length + (prefix === 'GR1348941' ? 0 : 1));
  const expected = GITLAB_LENGTHS[prefix];
  if (body.includes('.')) return body.length >= 27;
  return (expected === undefined ? body.length >= 20 : body.length === expected) && shannonEntropy(body) >= 3;
}

/** A URL's password part is a real value, not a placeholder such as `password` or `${DB_PASS}`. */
function credentialPasswordValid(url: string): boolean {
  const afterScheme = url.slice(url.indexOf('://') + 3);
  const at = afterScheme.lastIndexOf('@');
  const userInfo = afterScheme.slice(0, at);
  if (at < 0) return false;
  const password = userInfo.slice(userInfo.indexOf(':') + 1);
  return password.length > 0 && !PASSWORD_PLACEHOLDER.test(password);
}
