import { z } from 'zod';

/**
 * Our pages run under a CSP without 'unsafe-eval'. Zod 4 probes `new Function` to compile fast
 * object parsers; under the CSP that probe fails (harmlessly) but Chromium reports a CSP violation
 * each time. Its interpreter ("jitless") mode parses the same without generating code.
 * Import this first in every entry point.
 */
z.config({ jitless: true });
