/** Texts of the default loading and error views; `messages` may set any of them, per error code too. */
export interface StateMessages {
  loading: string
  retry: string
  /** For a code without its own text. */
  error: string
  [code: string]: string
}

const en: StateMessages = {
  loading: 'Loading…',
  retry: 'Retry',
  error: 'Something went wrong while loading this content.',
  TOKEN_EXPIRED: 'Your sign-in has expired.',
  TOKEN_REPLAYED: 'Your sign-in was already used.',
  TOKEN_UNAVAILABLE: 'We could not sign you in: the sign-in service did not answer.',
  SESSION_EXPIRED: 'Your session has ended.',
  ORIGIN_NOT_ALLOWED: 'This content is not allowed on this site.',
  FRAME_BLOCKED_BY_CSP: "This page's security policy blocks this content.",
  HOST_ORIGIN_OPAQUE: 'This content cannot run inside this sandboxed page.',
  HANDSHAKE_TIMEOUT: 'This content could not be reached.',
  EXCHANGE_FAILED: 'Signing in failed.',
  STORAGE_ACCESS_DENIED: 'Your browser blocked the cookies this content needs.',
  PROTOCOL_MISMATCH: 'This page needs an update to show this content.',
  USER_DEACTIVATED: 'Your account has been deactivated.',
  signInRefused: 'Your sign-in was refused.',
}

const fr: StateMessages = {
  loading: 'Chargement…',
  retry: 'Réessayer',
  error: 'Une erreur est survenue pendant le chargement de ce contenu.',
  TOKEN_EXPIRED: 'Votre connexion a expiré.',
  TOKEN_REPLAYED: 'Votre connexion a déjà été utilisée.',
  TOKEN_UNAVAILABLE: "Impossible de vous connecter : le service de connexion n'a pas répondu.",
  SESSION_EXPIRED: 'Votre session est terminée.',
  ORIGIN_NOT_ALLOWED: "Ce contenu n'est pas autorisé sur ce site.",
  FRAME_BLOCKED_BY_CSP: 'La politique de sécurité de cette page bloque ce contenu.',
  HOST_ORIGIN_OPAQUE: 'Ce contenu ne peut pas fonctionner dans cette page isolée (sandbox).',
  HANDSHAKE_TIMEOUT: "Ce contenu n'a pas pu être joint.",
  EXCHANGE_FAILED: 'La connexion a échoué.',
  STORAGE_ACCESS_DENIED: 'Votre navigateur bloque les cookies nécessaires à ce contenu.',
  PROTOCOL_MISMATCH: 'Cette page doit être mise à jour pour afficher ce contenu.',
  USER_DEACTIVATED: 'Votre compte a été désactivé.',
  signInRefused: 'Votre connexion a été refusée.',
}

const builtIn: Record<string, StateMessages> = { en, fr }

/** The token-verification codes, which share one text (`signInRefused`). */
const REFUSED =
  /^(TOKEN_MALFORMED|TOKEN_TOO_LARGE|TOKEN_NOT_YET_VALID|ALG_NOT_ALLOWED|UNKNOWN_KEY|BAD_SIGNATURE|LIFETIME_TOO_LONG|CLAIM_MISSING|CLAIM_INVALID|UNEXPECTED_SIGN_IN|URL_TOKEN_REFUSED)$/

/** The texts for `locale` (`fr-CA` → `fr`, else English) with `overrides` on top. */
export function messagesFor(locale: string | undefined, overrides: Record<string, string> = {}): StateMessages {
  const base = builtIn[locale?.toLowerCase().split(/[-_]/)[0] ?? 'en'] ?? en
  return { ...base, ...overrides }
}

/** The human text for an error `code`. */
export function textFor(messages: StateMessages, code: string): string {
  return messages[code] ?? (REFUSED.test(code) ? messages['signInRefused'] : undefined) ?? messages.error
}
