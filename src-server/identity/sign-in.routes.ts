import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../../src-shared/identity/staff-users.schema';
import type { ExternalSignIn } from './external-sign-in';
import type { PasswordResets } from './password-resets.service';
import { RESET_PATH } from './password-resets.service';
import { messagePage, pickLang, resetPage, signInPage, textOf, totpPage, type Lang } from './sign-in.pages';
import type { SignedTickets } from './signed-ticket';
import type { StaffOidc } from './staff-oidc.provider';
import { SIGN_IN_CONTENT_SECURITY_POLICY } from './staff-oidc.routes';
import type { SignInResult, StaffSignIn } from './staff-sign-in.service';

const UidParams = z.object({ uid: z.string().min(1).max(128) });
const LoginBody = z.object({ email: z.string().max(254).default(''), password: z.string().max(1024).default(''), lang: z.string().max(8).optional() });
const TotpBody = z.object({ pending: z.string().max(2048).default(''), totp: z.string().max(16).default(''), lang: z.string().max(8).optional() });
const ResetParams = z.object({ token: z.string().min(1).max(128) });
const ResetBody = z.object({ password: z.string().max(1024).default(''), passwordRepeat: z.string().max(1024).default(''), lang: z.string().max(8).optional() });
const LangQuery = z.object({ lang: z.string().max(8).optional() });

/** How long the TOTP step may follow a correct password. */
const TOTP_STEP_SECONDS = 5 * 60;

/**
 * Our interaction pages for the provider (no `devInteractions`): the sign-in form, the TOTP step,
 * the buttons for external providers, and the reset-link page. Each answers HTML under the
 * sign-in CSP; wrong input re-renders the form with a Danish (or English) sentence.
 */
export function signInRoutes(
  app: FastifyInstance,
  deps: { oidc: StaffOidc; signIn: StaffSignIn; resets: PasswordResets; tickets: SignedTickets; external: ExternalSignIn; publicUrl: string },
): void {
  const { oidc, signIn, resets, tickets, external } = deps;
  const hide = { hide: true } as object;

  const html = (reply: FastifyReply, status: number, body: string) =>
    reply
      .status(status)
      .header('cache-control', 'no-store')
      .header('content-security-policy', SIGN_IN_CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(body);

  /** The interaction this browser is in (its cookie); undefined when it is over or not this browser's. */
  const interactionOf = async (request: FastifyRequest, reply: FastifyReply, uid: string) => {
    const provider = await oidc.provider();
    try {
      const details = await provider.interactionDetails(request.raw, reply.raw);
      return details.uid === uid ? { provider, details } : undefined;
    } catch {
      return undefined;
    }
  };

  const expired = (reply: FastifyReply, lang: Lang) => {
    const t = textOf(lang);
    return html(reply, 400, messagePage(lang, t.errorTitle, t.errorHeading, t.errorIntro, 'error'));
  };

  const signInForm = (uid: string, lang: Lang, extra: { email?: string; error?: string } = {}) =>
    signInPage({
      lang,
      action: `/oidc/interaction/${uid}/login`,
      languageHref: `/oidc/interaction/${uid}?lang=${lang === 'da' ? 'en' : 'da'}`,
      externalProviders: external.providers.map((p) => ({ name: p.name, href: `/oidc/interaction/${uid}/federated/${p.id}?lang=${lang}` })),
      ...extra,
    });

  const failure = (lang: Lang, result: SignInResult): string => {
    const t = textOf(lang);
    return result.kind === 'locked' ? t.locked(Math.max(1, Math.ceil(result.retryAfterSeconds / 60))) : t.invalid;
  };

  app.get('/oidc/interaction/:uid', { schema: hide }, async (request, reply) => {
    const { uid } = UidParams.parse(request.params);
    const found = await interactionOf(request, reply, uid);
    const lang = pickLang(LangQuery.parse(request.query).lang ?? found?.details.params.ui_locales);
    if (!found) return expired(reply, lang);
    const hint = typeof found.details.params.login_hint === 'string' ? found.details.params.login_hint : undefined;
    return html(reply, 200, signInForm(uid, lang, { email: hint }));
  });

  app.post('/oidc/interaction/:uid/login', { schema: hide }, async (request, reply) => {
    const { uid } = UidParams.parse(request.params);
    const body = LoginBody.parse(request.body ?? {});
    const lang = pickLang(body.lang);
    const found = await interactionOf(request, reply, uid);
    if (!found) return expired(reply, lang);
    const result = await signIn.withPassword(body.email, body.password, request.ip);
    if (result.kind === 'ok') {
      const returnTo = await found.provider.interactionResult(request.raw, reply.raw, { login: { accountId: result.user.id, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
      return reply.redirect(returnTo, 303);
    }
    if (result.kind === 'totp_required') {
      const pending = tickets.issue('totp', { uid, userId: result.user.id }, TOTP_STEP_SECONDS);
      return html(reply, 200, totpPage({ lang, action: `/oidc/interaction/${uid}/totp`, pending }));
    }
    return html(reply, result.kind === 'locked' ? 429 : 401, signInForm(uid, lang, { email: body.email, error: failure(lang, result) }));
  });

  app.post('/oidc/interaction/:uid/totp', { schema: hide }, async (request, reply) => {
    const { uid } = UidParams.parse(request.params);
    const body = TotpBody.parse(request.body ?? {});
    const lang = pickLang(body.lang);
    const found = await interactionOf(request, reply, uid);
    const pending = tickets.open<{ uid: string; userId: string }>('totp', body.pending);
    if (!found || !pending || pending.uid !== uid) return expired(reply, lang);
    const result = await signIn.withTotp(pending.userId, body.totp, request.ip);
    if (result.kind === 'ok') {
      const returnTo = await found.provider.interactionResult(request.raw, reply.raw, { login: { accountId: result.user.id, amr: ['pwd', 'otp'] } }, { mergeWithLastSubmission: false });
      return reply.redirect(returnTo, 303);
    }
    if (result.kind === 'locked') return html(reply, 429, signInForm(uid, lang, { error: failure(lang, result) }));
    return html(reply, 401, totpPage({ lang, action: `/oidc/interaction/${uid}/totp`, pending: body.pending, error: textOf(lang).totpInvalid }));
  });

  external.routes(app, { interactionOf, html, signInForm });

  // The reset link's page: choose a password (the link works once, for 24 hours).
  const resetForm = (token: string, lang: Lang, error?: string) =>
    resetPage({ lang, action: `${RESET_PATH}${token}`, languageHref: `${RESET_PATH}${token}?lang=${lang === 'da' ? 'en' : 'da'}`, minLength: MIN_PASSWORD_LENGTH, error });
  const invalidLink = (reply: FastifyReply, lang: Lang) => {
    const t = textOf(lang);
    return html(reply, 410, messagePage(lang, t.resetTitle, t.resetHeading, t.resetInvalid, 'error'));
  };

  app.get(`${RESET_PATH}:token`, { schema: hide }, async (request, reply) => {
    const { token } = ResetParams.parse(request.params);
    const lang = pickLang(LangQuery.parse(request.query).lang);
    if (!(await resets.check(token))) return invalidLink(reply, lang);
    return html(reply, 200, resetForm(token, lang));
  });

  app.post(`${RESET_PATH}:token`, { schema: hide }, async (request, reply) => {
    const { token } = ResetParams.parse(request.params);
    const body = ResetBody.parse(request.body ?? {});
    const lang = pickLang(body.lang);
    const t = textOf(lang);
    if (!(await resets.check(token))) return invalidLink(reply, lang);
    if ([...body.password].length < MIN_PASSWORD_LENGTH) return html(reply, 400, resetForm(token, lang, t.tooShort(MIN_PASSWORD_LENGTH)));
    if (body.password !== body.passwordRepeat) return html(reply, 400, resetForm(token, lang, t.mismatch));
    if (!(await resets.complete(token, body.password))) return invalidLink(reply, lang);
    return html(reply, 200, messagePage(lang, t.resetTitle, t.resetHeading, t.resetDone, 'ok', { href: '/booking/', text: t.goSignIn }));
  });
}
