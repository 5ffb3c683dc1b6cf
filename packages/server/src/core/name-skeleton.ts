import unhomoglyph from 'unhomoglyph';

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const BLANKS = /[\s\u2800]+/gu;

/**
 * The UTS #39 skeleton of `text`: NFD, each character mapped to its prototype in Unicode's
 * confusables.txt (Cyrillic "А" and Greek "Α" become "A", "rn" stays what "m" becomes), NFD.
 * Only for comparing: two strings that look alike have the same skeleton.
 */
function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/**
 * What display names are compared by for `NAME_TAKEN`: invisible characters dropped, NFKC,
 * blanks folded, then skeleton, lower case, skeleton again, so that "Ana", "ana", "Аna"
 * (Cyrillic А), "A\u200Bna" and "ＡＮＡ" are one name. Upper-case I looks like l and lower-case
 * l like I, so i and l count as one letter here ("Ivan" and "lvan" collide; so do "Ali" and "All").
 * Used by every presence (LocalPresence and the Redis cluster), so processes agree.
 */
export function nameSkeleton(name: string): string {
  const plain = name.replace(IGNORABLE, '').normalize('NFKC').replace(BLANKS, ' ').trim();
  // toLowerCase, not toLocaleLowerCase: a Turkish locale on one process must not change keys.
  return skeleton(skeleton(plain).toLowerCase()).replace(/i/gu, 'l').replace(BLANKS, ' ').trim();
}
