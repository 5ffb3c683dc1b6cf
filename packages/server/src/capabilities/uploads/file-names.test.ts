import { describe, expect, it } from 'vitest';
import { contentDisposition, displayName, newFileId, parseStoredName, storedNameOfUrl } from './file-names.js';

describe('file names', () => {
  it('keeps only the last part of a name, without control or direction characters, within 255', () => {
    expect(displayName('C:\\Users\\ana\\foto.png', 'png')).toBe('foto.png');
    expect(displayName('../../etc/passwd', 'txt')).toBe('passwd');
    expect(displayName('invoice\u202egnp.exe', 'png')).toBe('invoicegnp.exe');
    expect(displayName('a\u0000b\nc.pdf', 'pdf')).toBe('abc.pdf');
    expect(displayName('..', 'png')).toBe('file.png');
    expect(displayName('', 'gif')).toBe('file.gif');
    expect(displayName('\ud800broken.png', 'png')).toBe('broken.png');
    const long = displayName(`${'😀'.repeat(200)}.png`, 'png');
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long).toBe('😀'.repeat(127));
  });

  it('writes Content-Disposition with an ASCII fallback and the exact name (RFC 8187)', () => {
    expect(contentDisposition('inline', 'dot.png')).toBe(`inline; filename="dot.png"; filename*=UTF-8''dot.png`);
    expect(contentDisposition('attachment', `Informe "médico" (1)'s.pdf`)).toBe(
      `attachment; filename="Informe _m_dico_ (1)'s.pdf"; filename*=UTF-8''Informe%20%22m%C3%A9dico%22%20%281%29%27s.pdf`,
    );
  });

  it('makes random stored names and parses only those', () => {
    const id = newFileId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/u);
    expect(newFileId()).not.toBe(id);
    expect(parseStoredName(`${id}.png`)).toEqual({ id, ext: 'png' });
    for (const bad of [`${id}`, `${id}.PNG`, `${id}.png.json`, `../${id}.png`, `${id}/.png`, 'short.png'])
      expect(parseStoredName(bad), bad).toBeUndefined();
  });

  it("finds the stored file an attachment's URL names, and none (never a throw) in a broken escape", () => {
    const id = newFileId();
    expect(storedNameOfUrl(`https://chat.example/chat/uploads/${id}.png?v=1#top`)).toEqual({ id, ext: 'png' });
    expect(storedNameOfUrl(`https://chat.example/chat/uploads/${encodeURIComponent(`${id}.png`)}`)).toEqual({ id, ext: 'png' });
    expect(storedNameOfUrl('https://chat.example/uploads/%E0%A4%A')).toBeUndefined();
    expect(storedNameOfUrl('https://files.example/plan.pdf')).toBeUndefined();
  });
});
