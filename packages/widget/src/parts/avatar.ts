import { html, type TemplateResult } from 'lit';
import { isHttpUrl } from '@chat/protocol';

/** Up to two initials of a name ("Ana Ruiz" -> "AR"); one in a script without capitals ("محمد الأحمد" -> "م"). */
export function initials(name: string): string {
  // Letters and digits only, so punctuation never becomes an initial.
  const words = name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const picked = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  const letters = picked.map((w) => Array.from(w as string)[0]?.toUpperCase() ?? '').join('');
  // Arabic, Hebrew, Chinese... have no initials as Latin does: two letters side by side read as a
  // word (Arabic joins them; "ما" from a name whose last word starts with the article) or as
  // nothing. Such a name shows its first letter, as people there write it.
  return (/^\p{Lo}/u.test(letters) ? Array.from(letters)[0] : letters) || '?';
}

// A stable hue per user id, so a person keeps one colour.
function hue(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + (c.codePointAt(0) ?? 0)) % 360;
  return h;
}

/** The avatar image, or initials on a colour of the user's own. Decorative: the name is beside it. */
export function avatar(user: { id: string; name: string; avatarUrl?: string | undefined }): TemplateResult {
  if (user.avatarUrl && isHttpUrl(user.avatarUrl)) {
    return html`<img part="avatar" class="avatar" src=${user.avatarUrl} alt="" loading="lazy" />`;
  }
  return html`<span part="avatar" class="avatar" aria-hidden="true" style="--hue:${hue(user.id)}">${initials(user.name)}</span>`;
}
