import { escapeHtml } from '../http/html';
/**
 * The people-facing pages of the embedded OpenID Provider: sign-in (password, then TOTP when
 * enrolled), set a password from a reset link, sign-out, errors. Server-rendered HTML with no
 * script, so they work before any bundle loads and with the strict CSP; Danish by default,
 * English through the language link (`lang=en`, carried through every form).
 */
export type Lang = 'da' | 'en';

export const pickLang = (value: unknown): Lang => (typeof value === 'string' && value.toLowerCase().startsWith('en') ? 'en' : 'da');

const TEXT = {
  da: {
    title: 'Log ind – VDX',
    heading: 'Log ind',
    intro: 'Log ind med din e-mail og adgangskode.',
    email: 'E-mail',
    password: 'Adgangskode',
    submit: 'Log ind',
    or: 'Eller log ind med',
    other: 'English',
    invalid: 'Forkert e-mail eller adgangskode.',
    locked: (minutes: number) => `For mange forkerte forsøg. Prøv igen om ${minutes} ${minutes === 1 ? 'minut' : 'minutter'}.`,
    totpHeading: 'Engangskode',
    totpIntro: 'Indtast den 6-cifrede kode fra din godkendelsesapp.',
    totp: 'Kode',
    totpInvalid: 'Koden er forkert eller brugt. Prøv den næste kode.',
    continue: 'Fortsæt',
    externalFailed: 'Login via din organisation lykkedes ikke. Prøv igen, eller kontakt din IT-afdeling.',
    externalNoAccount: 'Din organisation har ikke givet dig adgang til VDX. Kontakt din IT-afdeling.',
    resetTitle: 'Vælg adgangskode – VDX',
    resetHeading: 'Vælg en ny adgangskode',
    resetIntro: (min: number) => `Adgangskoden skal have mindst ${min} tegn. En sætning af flere ord er let at huske og svær at gætte.`,
    newPassword: 'Ny adgangskode',
    repeatPassword: 'Gentag adgangskoden',
    save: 'Gem adgangskode',
    tooShort: (min: number) => `Adgangskoden skal have mindst ${min} tegn.`,
    mismatch: 'De to adgangskoder er ikke ens.',
    resetInvalid: 'Linket er ugyldigt, allerede brugt eller udløbet. Bed din administrator om et nyt.',
    resetDone: 'Din adgangskode er gemt. Du kan nu logge ind.',
    goSignIn: 'Gå til VDX Booking',
    logoutTitle: 'Log ud – VDX',
    logoutHeading: 'Log ud',
    logoutIntro: 'Vil du logge ud af VDX på denne computer?',
    logoutSubmit: 'Log ud',
    loggedOut: 'Du er logget ud.',
    errorTitle: 'Der opstod en fejl – VDX',
    errorHeading: 'Login kunne ikke gennemføres',
    errorIntro: 'Gå tilbage og prøv igen. Fortsætter fejlen, så kontakt din IT-afdeling.',
  },
  en: {
    title: 'Sign in – VDX',
    heading: 'Sign in',
    intro: 'Sign in with your e-mail and password.',
    email: 'E-mail',
    password: 'Password',
    submit: 'Sign in',
    or: 'Or sign in with',
    other: 'Dansk',
    invalid: 'Wrong e-mail or password.',
    locked: (minutes: number) => `Too many failed attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    totpHeading: 'One-time code',
    totpIntro: 'Enter the 6-digit code from your authenticator app.',
    totp: 'Code',
    totpInvalid: 'The code is wrong or already used. Try the next code.',
    continue: 'Continue',
    externalFailed: 'Signing in through your organisation did not succeed. Try again, or contact your IT department.',
    externalNoAccount: 'Your organisation has not given you access to VDX. Contact your IT department.',
    resetTitle: 'Choose a password – VDX',
    resetHeading: 'Choose a new password',
    resetIntro: (min: number) => `The password needs at least ${min} characters. A sentence of several words is easy to remember and hard to guess.`,
    newPassword: 'New password',
    repeatPassword: 'Repeat the password',
    save: 'Save password',
    tooShort: (min: number) => `The password needs at least ${min} characters.`,
    mismatch: 'The two passwords differ.',
    resetInvalid: 'This link is invalid, already used or expired. Ask your administrator for a new one.',
    resetDone: 'Your password has been saved. You can sign in now.',
    goSignIn: 'Go to VDX Booking',
    logoutTitle: 'Sign out – VDX',
    logoutHeading: 'Sign out',
    logoutIntro: 'Sign out of VDX on this computer?',
    logoutSubmit: 'Sign out',
    loggedOut: 'You have signed out.',
    errorTitle: 'Something went wrong – VDX',
    errorHeading: 'Signing in could not be completed',
    errorIntro: 'Go back and try again. If it keeps happening, contact your IT department.',
  },
} as const;

export const textOf = (lang: Lang) => TEXT[lang];

export { escapeHtml };

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;font-size:16px;line-height:1.45;background:#eef2f6;color:#14202c}
*{box-sizing:border-box}body{margin:0}
main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
@media (max-width:480px){main{margin:0;border-radius:0;min-height:100vh;padding:1.25rem}}
header{display:flex;justify-content:space-between;align-items:center;margin-bottom:1rem}
.brand{font-weight:700;color:#0b5394}
h1{font-size:1.5rem;margin:0 0 .5rem}p{margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;font:inherit;padding:.7rem .75rem;border:2px solid #5b6b7b;border-radius:8px;min-height:44px;background:#fff;color:#14202c}
button,.button{display:inline-flex;justify-content:center;align-items:center;width:100%;min-height:44px;margin-top:1.25rem;padding:.7rem 1rem;font:inherit;font-weight:600;border:0;border-radius:8px;background:#0b5394;color:#fff;cursor:pointer;text-decoration:none}
.button.secondary{background:#fff;color:#0b5394;border:2px solid #0b5394;margin-top:.75rem}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
a{color:#0b5394}
.error{border-left:4px solid #b3261e;background:#fdecea;color:#5f1410;padding:.6rem .75rem;border-radius:4px}
.ok{border-left:4px solid #2e7d32;background:#e8f5e9;color:#123d17;padding:.6rem .75rem;border-radius:4px}
.or{margin-top:1.5rem;font-weight:600}
`;

export function page(lang: Lang, title: string, body: string, languageHref?: string): string {
  const t = textOf(lang);
  const switcher = languageHref
    ? `<a href="${escapeHtml(languageHref)}" lang="${lang === 'da' ? 'en' : 'da'}" hreflang="${lang === 'da' ? 'en' : 'da'}">${t.other}</a>`
    : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><header><span class="brand">VDX</span>${switcher}</header>${body}</main></body></html>`;
}

export interface SignInForm {
  lang: Lang;
  action: string;
  languageHref: string;
  email?: string;
  error?: string;
  externalProviders: Array<{ name: string; href: string }>;
}

export function signInPage(form: SignInForm): string {
  const t = textOf(form.lang);
  const error = form.error ? `<p class="error" role="alert" id="signin-error">${escapeHtml(form.error)}</p>` : '';
  const described = form.error ? ' aria-describedby="signin-error"' : '';
  const external = form.externalProviders.length
    ? `<p class="or">${t.or}</p>${form.externalProviders
        .map((p) => `<a class="button secondary" href="${escapeHtml(p.href)}">${escapeHtml(p.name)}</a>`)
        .join('')}`
    : '';
  return page(
    form.lang,
    t.title,
    `<h1>${t.heading}</h1><p>${t.intro}</p>${error}
<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="lang" value="${form.lang}">
<label for="email">${t.email}</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${escapeHtml(form.email ?? '')}"${described}>
<label for="password">${t.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}>
<button type="submit">${t.submit}</button>
</form>${external}`,
    form.languageHref,
  );
}

export function totpPage(form: { lang: Lang; action: string; pending: string; error?: string }): string {
  const t = textOf(form.lang);
  const error = form.error ? `<p class="error" role="alert" id="totp-error">${escapeHtml(form.error)}</p>` : '';
  return page(
    form.lang,
    t.title,
    `<h1>${t.totpHeading}</h1><p>${t.totpIntro}</p>${error}
<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="lang" value="${form.lang}"><input type="hidden" name="pending" value="${escapeHtml(form.pending)}">
<label for="totp">${t.totp}</label>
<input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="8" required autofocus${form.error ? ' aria-describedby="totp-error"' : ''}>
<button type="submit">${t.continue}</button>
</form>`,
  );
}

export function messagePage(lang: Lang, title: string, heading: string, message: string, kind: 'error' | 'ok', link?: { href: string; text: string }): string {
  const linkHtml = link ? `<a class="button" href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a>` : '';
  return page(lang, title, `<h1>${escapeHtml(heading)}</h1><p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${escapeHtml(message)}</p>${linkHtml}`);
}

export function resetPage(form: { lang: Lang; action: string; languageHref: string; minLength: number; error?: string }): string {
  const t = textOf(form.lang);
  const error = form.error ? `<p class="error" role="alert" id="reset-error">${escapeHtml(form.error)}</p>` : '';
  const described = form.error ? ' aria-describedby="reset-error reset-rule"' : ' aria-describedby="reset-rule"';
  return page(
    form.lang,
    t.resetTitle,
    `<h1>${t.resetHeading}</h1><p id="reset-rule">${t.resetIntro(form.minLength)}</p>${error}
<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="lang" value="${form.lang}">
<label for="password">${t.newPassword}</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${form.minLength}" required autofocus${described}>
<label for="passwordRepeat">${t.repeatPassword}</label>
<input id="passwordRepeat" name="passwordRepeat" type="password" autocomplete="new-password" minlength="${form.minLength}" required>
<button type="submit">${t.save}</button>
</form>`,
    form.languageHref,
  );
}

/** The provider's sign-out confirmation: its own form (with its CSRF token), our words. */
export function logoutPage(lang: Lang, providerForm: string): string {
  const t = textOf(lang);
  return page(lang, t.logoutTitle, `<h1>${t.logoutHeading}</h1><p>${t.logoutIntro}</p>${providerForm}<button type="submit" form="op.logoutForm" name="logout" value="yes">${t.logoutSubmit}</button>`);
}
