import { z } from 'zod';
import { EntityId, Timestamp } from './common.schema';

/** Largest logo or background we store inline (as a data URL), in characters. */
export const THEME_IMAGE_MAX_CHARS = 256 * 1024;

const HexColour = z.string().regex(/^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/, 'must be a hex colour such as #0a4d8c');

/** An image: an https/http URL or a `data:image/...;base64,` URL of at most THEME_IMAGE_MAX_CHARS. */
export const ThemeImage = z
  .string()
  .max(THEME_IMAGE_MAX_CHARS, `must be at most ${THEME_IMAGE_MAX_CHARS} characters (inline images are size-capped)`)
  .refine(
    (v) => /^https?:\/\/\S+$/.test(v) || /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(v),
    'must be an http(s) URL or a base64 data:image URL',
  );

export const ThemeColours = z.object({
  primary: HexColour,
  background: HexColour,
  text: HexColour,
  accent: HexColour.optional(),
});

export const WelcomeText = z.object({ da: z.string().max(500), en: z.string().max(500) });

export const ThemeCreate = z.object({
  name: z.string().trim().min(1).max(100),
  organisationCode: z.string().min(1).max(64).optional(),
  logo: ThemeImage.nullable().optional(),
  colours: ThemeColours,
  /** A background image (URL/data URL) shown behind the kiosk UI; null for the plain colour. */
  background: ThemeImage.nullable().optional(),
  welcomeText: WelcomeText.optional(),
});
export type ThemeCreate = z.infer<typeof ThemeCreate>;

export const ThemeUpdate = ThemeCreate.partial();
export type ThemeUpdate = z.infer<typeof ThemeUpdate>;

/** How a theme reads back, and how a device receives it in its config. */
export const Theme = z.object({
  id: EntityId,
  name: z.string(),
  organisationCode: z.string(),
  logo: z.string().nullable(),
  colours: ThemeColours,
  background: z.string().nullable(),
  welcomeText: WelcomeText,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Theme = z.infer<typeof Theme>;
