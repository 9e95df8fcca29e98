//! Case folding for the console's searches and name sorts.
//!
//! `str::to_lowercase` carries Unicode's whole case table, 12 KB of the
//! release wasm, for scripts no dispatcher's names are written in. The
//! names here are Chinese (which has no case), Latin, and now and then
//! Greek or Cyrillic; folding those letters by their fixed offsets gives
//! the same result as `to_lowercase` for all of them (a test compares the
//! two over those blocks) at a few bytes of code.

/// `s` in lower case, for comparing without case.
pub fn fold_case(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Whether `haystack` contains `folded` (already [`fold_case`]d), ignoring case.
pub fn contains_folded(haystack: &str, folded: &str) -> bool {
    fold_case(haystack).contains(folded)
}

fn fold_char(c: char) -> char {
    let offset = match c {
        'A'..='Z' => 32,
        // Latin-1: À to Þ but the multiplication sign.
        'À'..='Þ' if c != '×' => 32,
        // Latin Extended-A: upper and lower case alternate (Ā ā Ă ă …),
        // but for the dotted İ (whose lower case is two chars) and the
        // stretch Ĺ to Ň, where the upper case letters are the odd ones.
        'Ā'..='ķ' | 'Ŋ'..='ŷ' if c != 'İ' && (c as u32).is_multiple_of(2) => 1,
        'Ĺ'..='Ň' | 'Ź'..='Ž' if !(c as u32).is_multiple_of(2) => 1,
        'Ÿ' => return 'ÿ',
        // Greek capitals, with the gap at U+03A2, and the accented ones.
        'Α'..='Ρ' | 'Σ'..='Ϋ' => 32,
        'Ά' => 38,
        'Έ'..='Ί' => 37,
        'Ό' => 64,
        'Ύ' | 'Ώ' => 63,
        // Cyrillic: Ѐ to Џ, then А to Я.
        'Ѐ'..='Џ' => 80,
        'А'..='Я' => 32,
        _ => 0,
    };
    char::from_u32(c as u32 + offset).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_as_unicode_does_over_the_blocks_names_use() {
        // Latin to Latin Extended-A, the Greek alphabet and the Russian
        // one: wherever Unicode's lower case is one char, it is the same.
        for c in (0u32..=0x04FF).filter_map(char::from_u32) {
            let unicode: Vec<char> = c.to_lowercase().collect();
            let folded = fold_char(c);
            let covered = c < '\u{0180}'
                || ('\u{0386}'..='\u{03AB}').contains(&c)
                || ('\u{0400}'..='\u{042F}').contains(&c);
            if covered && unicode.len() == 1 {
                assert_eq!(folded, unicode[0], "{c} U+{:04X}", c as u32);
            } else {
                // Outside them, a letter is left as it is or folded as Unicode does.
                assert!(folded == c || unicode == [folded], "{c} U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn searches_ignore_case_and_leave_chinese_alone() {
        assert_eq!(
            fold_case("Zhang Wei 张伟 ÉLODIE Ωmega ИВАН"),
            "zhang wei 张伟 élodie ωmega иван"
        );
        assert!(contains_folded("Dispatch Ĳssel Ŀ", "ĳssel ŀ"));
        assert!(contains_folded("调度台 Desk", "desk"));
        assert!(!contains_folded("调度台", "desk"));
    }
}
