//! Lab abbreviations as staff type them (CRP, Cr, K, Na, Hb, PLT, WBC, AST, ALT, eGFR, BNP,
//! HbA1c, Glu) → the JLAC10 analytes and the Japanese test names they stand for, so the lab item
//! filter finds クレアチニン from `cr`. Everything is compared after [`normalize`], so `ＣＲＰ`,
//! `crp` and `Crp` are one word.

use super::normalize;

struct Alias {
    /// Abbreviations, lower case ASCII (the form `normalize` gives).
    words: &'static [&'static str],
    /// JLAC10 analyte codes (the first five characters of the 17-character code).
    jlac10: &'static [&'static str],
    /// Test names (normalized before comparing), matched as substrings of the row name.
    names: &'static [&'static str],
}

const ALIASES: &[Alias] = &[
    Alias {
        words: &["crp"],
        jlac10: &["5C070"],
        names: &["c反応性蛋白", "c反応性たん白"],
    },
    Alias {
        words: &["cr", "cre", "crea"],
        jlac10: &["3C015"],
        names: &["クレアチニン"],
    },
    Alias {
        words: &["k"],
        jlac10: &["3H015"],
        names: &["カリウム"],
    },
    Alias {
        words: &["na"],
        jlac10: &["3H010"],
        names: &["ナトリウム"],
    },
    Alias {
        words: &["hb", "hgb"],
        jlac10: &["2A030"],
        names: &["ヘモグロビン", "血色素"],
    },
    Alias {
        words: &["plt"],
        jlac10: &["2A050"],
        names: &["血小板"],
    },
    // 2A990 is what some SS-MIX2 exports (and our generator) send for 白血球数.
    Alias {
        words: &["wbc"],
        jlac10: &["2A010", "2A990"],
        names: &["白血球"],
    },
    Alias {
        words: &["ast", "got"],
        jlac10: &["3B035"],
        names: &["ast", "got"],
    },
    Alias {
        words: &["alt", "gpt"],
        jlac10: &["3B045"],
        names: &["alt", "gpt"],
    },
    Alias {
        words: &["egfr"],
        jlac10: &["8A065"],
        names: &["egfr", "推算糸球体"],
    },
    Alias {
        words: &["bnp"],
        jlac10: &["4Q280"],
        names: &["bnp", "脳性ナトリウム"],
    },
    Alias {
        words: &["hba1c", "a1c"],
        jlac10: &["3D046"],
        names: &["hba1c", "ヘモグロビンa1c"],
    },
    Alias {
        words: &["glu", "bs"],
        jlac10: &["3D010"],
        names: &["グルコース", "血糖"],
    },
];

/// A lab filter as typed, made once per change of the text.
pub struct LabFilter {
    needle: String,
    alias: Option<&'static Alias>,
}

impl LabFilter {
    pub fn new(typed: &str) -> LabFilter {
        let needle: String = normalize(typed).chars().filter(|c| !c.is_whitespace()).collect();
        let alias = ALIASES.iter().find(|a| a.words.contains(&needle.as_str()));
        LabFilter { needle, alias }
    }

    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    /// Whether a row of the lab table passes. An abbreviation means its analyte only (by JLAC10
    /// code when the row has one, else by name), so `k` does not also list ＣＫ; any other text
    /// matches names containing it (both normalized). `key` is the table's test key
    /// (`JLAC10|3C015000002327201`, `LOINC|…`, `name:…`).
    pub fn matches(&self, name: &str, key: &str) -> bool {
        if self.needle.is_empty() {
            return true;
        }
        let plain: String = normalize(name).chars().filter(|c| !c.is_whitespace()).collect();
        let Some(a) = self.alias else {
            return plain.contains(&self.needle);
        };
        if let Some(code) = key.strip_prefix("JLAC10|") {
            return a.jlac10.iter().any(|p| code.starts_with(p));
        }
        plain == self.needle || a.names.iter().any(|n| plain.contains(&normalize(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_find_the_analyte_by_code_and_by_name() {
        let cr = LabFilter::new("Cr");
        assert!(cr.matches("クレアチニン", "JLAC10|3C015000002327201"));
        assert!(cr.matches("クレアチニン", "name:クレアチニン"));
        assert!(!cr.matches("尿素窒素", "JLAC10|3C025000002327201"));
        // The code decides when there is one: a coded row named otherwise still matches.
        assert!(LabFilter::new("ｗｂｃ").matches("白血球数", "JLAC10|2A990000001930952"));
        assert!(LabFilter::new("K").matches("カリウム", "JLAC10|3H015000002327101"));
        assert!(!LabFilter::new("K").matches("ナトリウム", "JLAC10|3H010000002327101"));
        assert!(!LabFilter::new("k").matches("ＣＫ", "JLAC10|3B010000002327201"));
        assert!(!LabFilter::new("cr").matches("ＣＲＰ", "JLAC10|5C070000002306001"));
        assert!(LabFilter::new("k").matches("Ｋ", "name:K"));
        assert!(LabFilter::new("hba1c").matches("ＨｂＡ１ｃ（ＮＧＳＰ）", "JLAC10|3D046000001906202"));
        assert!(LabFilter::new("Glu").matches("血糖", "name:血糖"));
    }

    #[test]
    fn names_match_across_width_case_and_kana() {
        assert!(LabFilter::new("ｸﾚｱﾁﾆﾝ").matches("クレアチニン", "name:x"));
        assert!(LabFilter::new("くれあ").matches("クレアチニン", "name:x"));
        assert!(LabFilter::new("ast").matches("ＡＳＴ", "LOINC|1920-8"));
        assert!(LabFilter::new("").matches("何でも", "name:x"));
        assert!(!LabFilter::new("ナトリ").matches("カリウム", "name:x"));
    }
}
