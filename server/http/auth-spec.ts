/** Who is signed in, and API tokens for integrators (sign-in itself is better-auth's, under /api/auth). */
import Type from 'typebox'
import { ROLES } from '../auth/auth.js'
import type { Operation } from './operation.js'

const strict = { additionalProperties: false } as const
const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `#/components/schemas/${name}` })
const RoleSchema = Type.Unsafe<(typeof ROLES)[number]>({ type: 'string', enum: [...ROLES] })

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'What it is for, e.g. "CRM sync"' }),
    role: Type.Optional(
      Type.Unsafe<(typeof ROLES)[number]>({
        type: 'string',
        enum: [...ROLES],
        description: "What the token may do: the maker's own role (the default) or readOnly; an admin may give any",
      }),
    ),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Default: never expires' })),
  },
  strict,
)

export const PasswordBody = Type.Object(
  {
    password: Type.String({
      minLength: 10,
      maxLength: 200,
      description: 'At least 10 characters; tell it to the person, who then signs in with it',
    }),
  },
  strict,
)

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 10, maxLength: 200, description: 'At least 10 characters' }),
  },
  strict,
)

const tokenProperties = {
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  start: Type.String({ description: 'Its first characters, to tell tokens apart' }),
  userId: Type.String({ description: 'Whose token it is: it acts for that user' }),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
}

export const authResponseSchemas = {
  Me: Type.Object({
    user: Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), role: RoleSchema }),
    role: Type.Unsafe<string>({ type: 'string', enum: [...ROLES], description: 'What this request may do' }),
    via: Type.Unsafe<string>({ type: 'string', enum: ['session', 'token'] }),
    mustChangePassword: Type.Boolean({
      description: 'Signed in with a password someone else chose: only POST /api/me/password is allowed until then',
    }),
    operations: Type.Array(Type.String(), {
      description:
        'The operation ids (as in this document) this request may call: the web app shows or enables what they allow',
    }),
  }),
  Token: Type.Object(tokenProperties),
  TokenWithSecret: Type.Object({
    ...tokenProperties,
    token: Type.String({ description: 'Send it as "Authorization: Bearer <token>". Shown only in this answer.' }),
  }),
} as const

const tokenId = { id: { description: 'The token id' } }

export const AUTH_OPERATIONS = {
  getMe: {
    method: 'get',
    path: '/api/me',
    summary: 'Who this request is, and what it may do',
    responses: {
      '200': { description: 'The signed-in user or the token’s user.', schema: ref('Me') },
      '401': { description: 'Nobody is signed in (code "unauthorized"): the app shows its sign-in screen.' },
      '404': { description: 'This server runs without sign-in (code "not-found"): nothing to sign in to.' },
    },
  },
  changeMyPassword: {
    method: 'post',
    path: '/api/me/password',
    summary: 'Choose a new password; your other sessions end',
    body: { schema: ChangePasswordBody, maxBytes: 4096, description: 'The current and the new password.' },
    responses: {
      '204': { description: 'Changed; this session goes on (a new cookie comes with the answer).' },
      '403': { description: 'Asked with an API token, not a signed-in session (code "forbidden").' },
      '422': { description: 'The current password is wrong (code "invalid", path "/currentPassword").' },
      '429': { description: 'Five wrong current passwords in 15 minutes (code "rate-limited"): wait.' },
    },
  },
  listTokens: {
    method: 'get',
    path: '/api/tokens',
    summary: 'My API tokens (an admin sees everyone’s)',
    responses: {
      '200': { description: 'The tokens, newest first.', schema: Type.Object({ items: Type.Array(ref('Token')) }) },
    },
  },
  createToken: {
    method: 'post',
    path: '/api/tokens',
    summary: 'Make an API token for integrators; the answer shows it once',
    description: 'Only a signed-in person makes tokens (not another token). The token is stored as a hash.',
    body: { schema: CreateTokenBody, maxBytes: 4096, description: 'The token to make.' },
    responses: {
      '201': { description: 'Made; the token is in this answer only.', schema: ref('TokenWithSecret') },
      '403': { description: 'A role above your own, or made with a token (code "forbidden", path "/role").' },
    },
  },
  setUserPassword: {
    method: 'put',
    path: '/api/users/{id}/password',
    summary: "Give a user a (new) password; the user's sessions end",
    description:
      'How an admin lets a new colleague in, or one who forgot theirs. The password is stored as a slow hash and ' +
      'is never shown again; the audit log records that it was set, not what it is.',
    params: { id: { description: 'The user id' } },
    body: { schema: PasswordBody, maxBytes: 4096, description: 'The password.' },
    responses: {
      '204': { description: 'Set.' },
      '404': { description: 'No such user, or this server runs without sign-in (code "not-found").' },
    },
  },
  revokeToken: {
    method: 'delete',
    path: '/api/tokens/{id}',
    summary: 'Revoke an API token: it stops working at once',
    params: tokenId,
    responses: { '204': { description: 'Revoked.' } },
  },
} as const satisfies Record<string, Operation>

export type AuthOperationId = keyof typeof AUTH_OPERATIONS
