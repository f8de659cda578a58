/**
 * Which scopes an operation accepts, classic and granular, as Zoom's specs list them. A token passes
 * when it holds any accepted scope; a missing scope is Zoom's 400 code 4711 listing what is accepted.
 */
import { accessErrors } from '../errors/access.js';

export interface ScopeRule {
  classic: readonly string[];
  granular: readonly string[];
  /** Scopes that are valid only when the target is `me` (e.g. user_info:read on GET /users/{userId}). */
  meOnly?: readonly string[];
  /**
   * The operation is one a scheduling privilege covers (reading the grantor, listing and scheduling
   * their meetings): a user-level token may reach its grantor through shared access. Other operations
   * (their ZAK, profile, settings, status, ...) stay out of reach.
   */
  viaPrivilege?: boolean;
}

/**
 * Classic scopes are the short, pre-2024 names: `resource`, `resource:read|write|master`, either with
 * `:admin` (`user:read`, `user_zak:read`, `meeting:write:admin`, `webinar:read:admin`), and the chatbot's
 * `imchat:bot`. Granular scopes name an object after the action (`meeting:read:meeting:admin`,
 * `user:read:zak`).
 */
const CLASSIC_SHAPE = /^[a-z0-9_]+(:(read|write|master))?(:admin)?$/;
const CLASSIC_OTHERS = new Set(['imchat:bot']);

export function isClassicScope(scope: string): boolean {
  return CLASSIC_SHAPE.test(scope) || CLASSIC_OTHERS.has(scope);
}

/** A scope that acts on any user of the account (`:admin`) rather than only on the token's own user. */
export function isAdminScope(scope: string): boolean {
  return scope.endsWith(':admin');
}

/** Every scope a rule accepts, classic first; rules are constants, so the list is made once per rule. */
const acceptedLists = new WeakMap<ScopeRule, readonly string[]>();

export function acceptedScopes(rule: ScopeRule): readonly string[] {
  let list = acceptedLists.get(rule);
  if (!list) {
    list = [...rule.classic, ...rule.granular];
    acceptedLists.set(rule, list);
  }
  return list;
}

export interface ScopeCheck {
  /** The accepted scopes the token holds. */
  granted: string[];
}

/**
 * Throws 4711 unless the token holds at least one accepted scope that covers the target user. The message lists the granular
 * scopes when the token is of the granular era, the classic ones otherwise.
 */
export function requireScopes(
  tokenScopes: ReadonlySet<string>,
  rule: ScopeRule,
  target: { isMe: boolean; isSelf: boolean },
): ScopeCheck {
  const granted: string[] = [];
  for (const scope of acceptedScopes(rule)) {
    if (!tokenScopes.has(scope)) continue;
    if (!target.isMe && rule.meOnly?.includes(scope)) continue;
    // A scope without `:admin` lets a token act on its own user only.
    if (!target.isSelf && !isAdminScope(scope)) continue;
    granted.push(scope);
  }
  if (granted.length > 0) return { granted };
  throw missingScopesFor(tokenScopes, rule, target);
}

/**
 * Zoom checks scopes before it looks the target up: a token holding none of the operation's scopes gets
 * 4711 whether or not the user or meeting exists. Whether the scopes it holds cover the target (own
 * user or `:admin`) is checked once the target is known (`requireScopes`).
 */
export function requireAnyScope(tokenScopes: ReadonlySet<string>, rule: ScopeRule): void {
  for (const scope of acceptedScopes(rule)) if (tokenScopes.has(scope)) return;
  throw missingScopesFor(tokenScopes, rule, { isMe: true, isSelf: true });
}

/**
 * 4711 listing the accepted scopes of the token's era that would have let it through, leaving out the
 * ones it holds (they did not suffice: a non-`:admin` scope on another user, `user_info:read` without
 * `me`).
 */
function missingScopesFor(
  tokenScopes: ReadonlySet<string>,
  rule: ScopeRule,
  target: { isMe: boolean; isSelf: boolean },
) {
  let granularEra = [...tokenScopes].some((s) => !isClassicScope(s)) || rule.classic.length === 0;
  // A document that names only one kind for an operation (the 2023 one names no granular scopes)
  // lists that kind whatever the token's era.
  if ((granularEra ? rule.granular : rule.classic).length === 0) granularEra = !granularEra;
  const accepted = granularEra ? rule.granular : rule.classic;
  const wanted = accepted.filter(
    (s) =>
      !tokenScopes.has(s) && (target.isSelf || isAdminScope(s)) && (target.isMe || !rule.meOnly?.includes(s)),
  );
  return accessErrors.missingScopes(
    wanted.length > 0 ? wanted : accepted,
    granularEra ? 'granular' : 'classic',
  );
}

/**
 * The `:admin` granular scopes of a resource's rules, in the rules' order: the scopes that reach every
 * user's objects of that resource, which the demo Server-to-Server app holds.
 */
export function adminScopes(rules: Record<string, ScopeRule>): readonly string[] {
  return [...new Set(Object.values(rules).flatMap((rule) => rule.granular.filter(isAdminScope)))];
}
