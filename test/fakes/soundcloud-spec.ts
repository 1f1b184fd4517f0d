import { readFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import { parse } from 'yaml';

/** SoundCloud's own OpenAPI description (OpenAPI 3.0.4), copied unmodified beside this file (see README.md here). */
export const SOUNDCLOUD_SPEC_PATH = fileURLToPath(new URL('./soundcloud-openapi.yaml', import.meta.url));

export interface SpecRequest {
  readonly method: string;
  readonly path: string;
  /** Without the leading '?'. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type ApiCheck =
  | { readonly ok: true; readonly operationId: string; readonly form?: FormData }
  | { readonly ok: false; readonly status: 400 | 404 | 405; readonly errors: string[] };

type Schema = Record<string, unknown>;

const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function formatAjv(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((e) => `${where}${e.instancePath || ''} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`.trim());
}

function mediaType(headers: IncomingHttpHeaders): string {
  return String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Properties declared by a (dereferenced) object schema, through `allOf`. */
function propertiesOf(schema: Schema | undefined): Record<string, Schema> {
  if (!schema) return {};
  const own = (schema.properties ?? {}) as Record<string, Schema>;
  const parts = ((schema.allOf ?? []) as Schema[]).map(propertiesOf);
  return Object.assign({}, ...parts, own);
}

/** Form fields are text on the wire; the schema's primitive types say how to read them (OpenAPI form serialisation). */
function coerce(value: string, schema: Schema | undefined): unknown {
  if (schema?.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if ((schema?.type === 'integer' || schema?.type === 'number') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

let loaded: Promise<SoundCloudSpec> | undefined;

/**
 * Checks requests against SoundCloud's OpenAPI file. openapi-backend routes them and validates path,
 * query and body against the operation's schemas (with ajv); what it leaves out is checked here from the
 * same document: the security requirement (`Authorization: OAuth <token>`), the declared request media
 * types, that binary fields are file parts, and the OAuth endpoints, which the document describes only
 * through its `oAuth2_1` security scheme and the `OAuthToken` schema.
 */
export class SoundCloudSpec {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly tokenValidator;

  private constructor(
    readonly document: Schema,
    private readonly backend: OpenAPIBackend,
  ) {
    const components = this.backend.definition.components as { schemas: Record<string, Schema> };
    this.tokenValidator = this.ajv.compile(components.schemas.OAuthToken!);
  }

  /** Parsed once per test file: compiling the whole document takes most of a second. */
  static load(path = SOUNDCLOUD_SPEC_PATH): Promise<SoundCloudSpec> {
    loaded ??= (async () => {
      const document = parse(await readFile(path, 'utf8')) as Schema;
      const definition = structuredClone(document) as { paths: Record<string, Record<string, Schema>> };
      // The file names no operationIds; openapi-backend needs one per operation to keep its validators.
      for (const [p, item] of Object.entries(definition.paths)) {
        for (const method of ['get', 'put', 'post', 'delete', 'patch']) if (item[method]) item[method].operationId ??= `${method.toUpperCase()} ${p}`;
      }
      const backend = new OpenAPIBackend({
        definition: definition as never,
        quick: true, // the document is SoundCloud's; validators compile lazily, per operation used
        strict: false,
        coerceTypes: true,
        ajvOpts: { allErrors: true },
        customizeAjv: (ajv) => {
          // Formats the document uses; `binary` is checked as "is a file part" in checkForm.
          for (const format of ['binary', 'int64', 'double', 'date-time']) ajv.addFormat(format, true);
          return ajv;
        },
      });
      await backend.init();
      return new SoundCloudSpec(document, backend);
    })();
    return loaded;
  }

  private get oauthFlow(): { authorizationUrl: string; tokenUrl: string; refreshUrl: string } {
    const schemes = (this.document.components as { securitySchemes: Record<string, Schema> }).securitySchemes;
    return (schemes.oAuth2_1!.flows as Record<string, never>).authorizationCode;
  }

  get authorizePath(): string {
    return new URL(this.oauthFlow.authorizationUrl).pathname;
  }

  get tokenPath(): string {
    return new URL(this.oauthFlow.tokenUrl).pathname;
  }

  /** A request to the API host: route, security, media type, parameters and body. */
  async checkApi(req: SpecRequest): Promise<ApiCheck> {
    let operation: Operation;
    try {
      operation = this.backend.router.matchOperation({ method: req.method, path: req.path, headers: {} }, true) as Operation;
    } catch (error) {
      const notFound = String(error).includes('404');
      return { ok: false, status: notFound ? 404 : 405, errors: [`${req.method} ${req.path}: ${notFound ? 'no such path in the OpenAPI description' : 'method not described for this path'}`] };
    }
    const errors = this.checkSecurity(operation, req.headers);
    let body: Record<string, unknown> | undefined;
    let form: FormData | undefined;
    const requestBody = operation.requestBody as { content: Record<string, { schema?: Schema }>; required?: boolean } | undefined;
    if (requestBody) {
      const type = mediaType(req.headers);
      const declared = Object.keys(requestBody.content);
      if (!declared.includes(type)) {
        errors.push(`body: content type '${type || '(none)'}' is not one of ${declared.join(', ')}`);
      } else if (type === 'multipart/form-data') {
        const checked = await this.checkForm(req, requestBody.content[type]!.schema);
        errors.push(...checked.errors);
        ({ body, form } = checked);
      } else if (type === 'application/json') {
        try {
          body = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
        } catch {
          errors.push('body: not valid JSON');
        }
      } else {
        body = Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
      }
      if (!body && req.body.length === 0) body = {}; // an empty upload still has to name its required fields
    } else if (req.body.length > 0) {
      errors.push(`body: ${req.method} ${req.path} takes no request body`);
    }
    const result = this.backend.validator.validateRequest({ method: req.method, path: req.path, query: req.query, headers: req.headers as Record<string, string>, body }, operation);
    errors.push(...formatAjv(result.errors, ''));
    return errors.length ? { ok: false, status: 400, errors } : { ok: true, operationId: operation.operationId!, form };
  }

  /** The browser's GET of the consent page: the document's OAuth parameters plus PKCE (OAuth 2.1). */
  checkAuthorize(method: string, path: string, query: URLSearchParams): string[] {
    const errors: string[] = [];
    if (method !== 'GET' || path !== this.authorizePath) errors.push(`${method} ${path}: the authorization URL is GET ${this.authorizePath}`);
    const parameters = (this.backend.definition.components as unknown as { parameters: Record<string, { name: string; required?: boolean; schema: Schema }> }).parameters;
    // `scope` is declared required there but "leave blank by default"; SoundCloud's current flow omits it.
    for (const key of ['client_id', 'redirect_uri', 'response_type', 'state']) {
      const p = parameters[key]!;
      const value = query.get(p.name);
      if (value === null) {
        if (p.required || key === 'state') errors.push(`query: '${p.name}' is required`); // state: CSRF protection, required by OAuth 2.1 practice
        continue;
      }
      const validate = this.ajv.compile(p.schema);
      if (!validate(value)) errors.push(...formatAjv(validate.errors, `query.${p.name}`));
    }
    if (!PKCE_CHALLENGE.test(query.get('code_challenge') ?? '')) errors.push("query: 'code_challenge' must be a base64url SHA-256 (43 characters)");
    if (query.get('code_challenge_method') !== 'S256') errors.push("query: 'code_challenge_method' must be S256");
    return errors;
  }

  /** POST to the token URL: form-encoded fields matching the `OAuthToken` schema and its per-grant rules. */
  checkToken(req: SpecRequest): { errors: string[]; fields: Record<string, string> } {
    const errors: string[] = [];
    if (req.method !== 'POST' || req.path !== this.tokenPath) errors.push(`${req.method} ${req.path}: the token URL is POST ${this.tokenPath}`);
    if (mediaType(req.headers) !== 'application/x-www-form-urlencoded') errors.push(`body: the token endpoint takes application/x-www-form-urlencoded, not '${mediaType(req.headers)}'`);
    if (req.query) errors.push('query: credentials belong in the form body, not the URL');
    const params = new URLSearchParams(req.body.toString('utf8'));
    const fields: Record<string, string> = {};
    for (const [key, value] of params) {
      if (key in fields) errors.push(`body: field '${key}' appears twice`);
      fields[key] = value;
    }
    if (!this.tokenValidator(fields)) errors.push(...formatAjv(this.tokenValidator.errors, 'body'));
    // "Required on grant_type = …" in the schema's field descriptions.
    const need = (field: string, grants: string[]) => {
      if (grants.includes(fields.grant_type ?? '') && !fields[field]) errors.push(`body: '${field}' is required for grant_type=${fields.grant_type}`);
    };
    need('code', ['authorization_code']);
    need('redirect_uri', ['authorization_code', 'refresh_token']);
    need('refresh_token', ['refresh_token']);
    if (fields.grant_type === 'authorization_code' && !PKCE_VERIFIER.test(fields.code_verifier ?? '')) {
      errors.push("body: 'code_verifier' must be 43–128 unreserved characters (PKCE, RFC 7636)");
    }
    return { errors, fields };
  }

  private checkSecurity(operation: Operation, headers: IncomingHttpHeaders): string[] {
    const requirements = (operation.security ?? []) as Record<string, string[]>[];
    if (requirements.length === 0) return [];
    const schemes = (this.backend.definition.components as { securitySchemes: Record<string, { type: string; in?: string; name?: string }> }).securitySchemes;
    const authorization = headers.authorization;
    // AuthHeader: apiKey in the Authorization header, "the string OAuth followed by the user's token";
    // oAuth2_1 tokens travel the same way (SoundCloud accepts neither Bearer nor the oauth_token query).
    const satisfied = requirements.some((requirement) =>
      Object.keys(requirement).every((name) => {
        const scheme = schemes[name];
        if (!scheme) return false;
        if (scheme.type === 'apiKey' && scheme.in === 'header') return typeof headers[scheme.name!.toLowerCase()] === 'string' && /^OAuth \S+$/.test(String(headers[scheme.name!.toLowerCase()]));
        if (scheme.type === 'oauth2') return typeof authorization === 'string' && /^OAuth \S+$/.test(authorization);
        return false;
      }),
    );
    return satisfied ? [] : [`header: Authorization must be 'OAuth <access token>' (security: ${requirements.map((r) => Object.keys(r).join('+')).join(' or ')})`];
  }

  private async checkForm(req: SpecRequest, schema: Schema | undefined): Promise<{ errors: string[]; body?: Record<string, unknown>; form?: FormData }> {
    let form: FormData;
    try {
      form = await new Response(req.body, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    } catch (error) {
      return { errors: [`body: unreadable multipart/form-data (${(error as Error).message})`] };
    }
    const properties = propertiesOf(schema);
    const errors: string[] = [];
    const body: Record<string, unknown> = {};
    for (const [name, value] of form) {
      const property = properties[name];
      if (name in body) errors.push(`body: field '${name}' appears twice`);
      if (!property) errors.push(`body: field '${name}' is not described by the request schema`);
      const binary = property?.format === 'binary';
      if (typeof value === 'string') {
        if (binary) errors.push(`body: '${name}' must be a file part (format: binary), not a text field`);
        body[name] = coerce(value, property);
      } else {
        if (property && !binary) errors.push(`body: '${name}' must be a text field, not a file`);
        if (!value.name) errors.push(`body: file part '${name}' has no filename`);
        if (!value.type) errors.push(`body: file part '${name}' has no content type`);
        if (value.size === 0) errors.push(`body: file part '${name}' is empty`);
        body[name] = `<${value.size} bytes>`;
      }
    }
    return { errors, body, form };
  }
}
