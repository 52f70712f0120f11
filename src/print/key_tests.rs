//! The key tests whose trend the summary prints: the ones a ward checks first during an outage
//! (renal function, potassium, anaemia, platelets, inflammation, glucose). Found by JLAC10
//! analyte code, LOINC code, or name.

use crate::chart::{LabRow, LabTable};
use unicode_normalization::UnicodeNormalization;

pub struct KeyTest {
    /// Printed label.
    pub label: &'static str,
    /// JLAC10 analyte codes (the first five characters of the 17-character code).
    jlac10: &'static [&'static str],
    loinc: &'static [&'static str],
    /// Names after NFKC and upper-casing, compared whole.
    names: &'static [&'static str],
}

pub const KEY_TESTS: [KeyTest; 6] = [
    KeyTest {
        label: "Cr",
        jlac10: &["3C015"],
        loinc: &["2160-0", "38483-4"],
        names: &["クレアチニン", "CRE", "CR", "CRE(血清)"],
    },
    KeyTest {
        label: "K",
        jlac10: &["3H015"],
        loinc: &["2823-3", "6298-4"],
        names: &["カリウム", "K", "血清カリウム"],
    },
    KeyTest {
        label: "Hb",
        jlac10: &["2A030"],
        loinc: &["718-7"],
        names: &["ヘモグロビン", "血色素量", "血色素", "HB", "HGB"],
    },
    KeyTest {
        label: "PLT",
        jlac10: &["2A050"],
        loinc: &["777-3", "26515-7"],
        names: &["血小板数", "血小板", "PLT"],
    },
    KeyTest {
        label: "CRP",
        jlac10: &["5C070"],
        loinc: &["1988-5", "30522-7"],
        names: &["CRP", "C反応性蛋白", "C反応性たん白"],
    },
    KeyTest {
        label: "血糖",
        jlac10: &["3D010"],
        loinc: &["2345-7", "2339-0", "41653-7"],
        names: &["グルコース", "血糖", "GLU", "BS"],
    },
];

impl KeyTest {
    fn matches(&self, row: &LabRow) -> bool {
        if let Some(code) = row.key.strip_prefix("JLAC10|") {
            return self.jlac10.iter().any(|p| code.starts_with(p));
        }
        if let Some(code) = row.key.strip_prefix("LOINC|") {
            return self.loinc.contains(&code);
        }
        let name: String = row
            .name
            .nfkc()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        self.names.contains(&name.as_str())
    }

    /// The row of this test in the table: the one with the newest result when several match.
    pub fn find<'t>(&self, labs: &'t LabTable) -> Option<&'t LabRow> {
        labs.rows
            .iter()
            .filter(|r| self.matches(r))
            .min_by_key(|r| r.latest().map(|c| c.column).unwrap_or(usize::MAX))
    }
}
