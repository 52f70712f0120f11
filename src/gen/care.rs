//! Outpatient care patterns: chronic conditions and acute visit reasons.

pub struct Chronic {
    /// Diagnosis key in `dx`.
    pub dx: &'static str,
    pub dept: &'static str,
    /// Medication groups: (options, probability the group is prescribed).
    pub meds: &'static [(&'static [&'static str], f64)],
    /// Prevalence for ages <40, 40-64, 65+.
    pub prevalence: (f64, f64, f64),
    /// 'M', 'F' or ' ' (either).
    pub sex: char,
}

pub static CHRONIC: &[Chronic] = &[
    Chronic {
        dx: "htn",
        dept: "01",
        meds: &[
            (
                &[
                    "amlodipine",
                    "nifedipine",
                    "olmesartan",
                    "candesartan",
                    "telmisartan",
                ],
                1.0,
            ),
            (&["olmesartan", "amlodipine"], 0.3),
        ],
        prevalence: (0.03, 0.25, 0.55),
        sex: ' ',
    },
    Chronic {
        dx: "dm2",
        dept: "01",
        meds: &[
            (&["metformin", "sitagliptin", "glimepiride", "empagliflozin"], 1.0),
            (&["sitagliptin", "voglibose"], 0.4),
        ],
        prevalence: (0.01, 0.10, 0.22),
        sex: ' ',
    },
    Chronic {
        dx: "dl",
        dept: "01",
        meds: &[(&["atorvastatin", "rosuvastatin"], 0.9), (&["ezetimibe"], 0.15)],
        prevalence: (0.02, 0.20, 0.35),
        sex: ' ',
    },
    Chronic {
        dx: "ckd",
        dept: "01",
        meds: &[(&["febuxostat"], 0.3)],
        prevalence: (0.0, 0.03, 0.15),
        sex: ' ',
    },
    Chronic {
        dx: "chf",
        dept: "02",
        meds: &[
            (&["furosemide"], 1.0),
            (&["spironolactone"], 0.6),
            (&["bisoprolol", "carvedilol"], 0.8),
        ],
        prevalence: (0.0, 0.01, 0.10),
        sex: ' ',
    },
    Chronic {
        dx: "af",
        dept: "02",
        meds: &[
            (&["apixaban", "apixaban", "warfarin"], 0.9),
            (&["bisoprolol"], 0.7),
        ],
        prevalence: (0.0, 0.01, 0.08),
        sex: ' ',
    },
    Chronic {
        dx: "angina",
        dept: "02",
        meds: &[(&["aspirin"], 1.0), (&["bisoprolol", "nifedipine"], 0.5)],
        prevalence: (0.0, 0.02, 0.06),
        sex: ' ',
    },
    Chronic {
        dx: "old_ci",
        dept: "05",
        meds: &[(&["aspirin", "clopidogrel"], 1.0)],
        prevalence: (0.0, 0.01, 0.08),
        sex: ' ',
    },
    Chronic {
        dx: "copd",
        dept: "04",
        meds: &[(&["adoair"], 1.0), (&["carbocisteine"], 0.4)],
        prevalence: (0.0, 0.01, 0.08),
        sex: 'M',
    },
    Chronic {
        dx: "asthma",
        dept: "04",
        meds: &[(&["montelukast"], 0.9), (&["adoair"], 0.6)],
        prevalence: (0.04, 0.04, 0.04),
        sex: ' ',
    },
    Chronic {
        dx: "gerd",
        dept: "03",
        meds: &[(&["lansoprazole", "famotidine"], 1.0)],
        prevalence: (0.02, 0.08, 0.15),
        sex: ' ',
    },
    Chronic {
        dx: "constipation",
        dept: "03",
        meds: &[(&["magnesium", "sennoside"], 1.0), (&["picosulfate"], 0.2)],
        prevalence: (0.01, 0.03, 0.15),
        sex: ' ',
    },
    Chronic {
        dx: "osteoporosis",
        dept: "12",
        meds: &[(&["alendronate"], 0.8), (&["eldecalcitol"], 0.7)],
        prevalence: (0.0, 0.04, 0.28),
        sex: 'F',
    },
    Chronic {
        dx: "knee_oa",
        dept: "12",
        meds: &[
            (&["loxoprofen_tape"], 1.0),
            (&["celecoxib"], 0.4),
            (&["rebamipide"], 0.3),
        ],
        prevalence: (0.0, 0.05, 0.15),
        sex: ' ',
    },
    Chronic {
        dx: "lss",
        dept: "12",
        meds: &[(&["loxoprofen", "celecoxib"], 0.7), (&["rebamipide"], 0.5)],
        prevalence: (0.0, 0.02, 0.06),
        sex: ' ',
    },
    Chronic {
        dx: "insomnia",
        dept: "01",
        meds: &[(&["zolpidem", "brotizolam"], 1.0)],
        prevalence: (0.02, 0.05, 0.12),
        sex: ' ',
    },
    Chronic {
        dx: "dementia",
        dept: "05",
        meds: &[(&["donepezil"], 1.0)],
        prevalence: (0.0, 0.0, 0.07),
        sex: ' ',
    },
    Chronic {
        dx: "bph",
        dept: "30",
        meds: &[(&["tamsulosin"], 1.0)],
        prevalence: (0.0, 0.05, 0.25),
        sex: 'M',
    },
    Chronic {
        dx: "oab",
        dept: "30",
        meds: &[(&["mirabegron"], 1.0)],
        prevalence: (0.0, 0.02, 0.06),
        sex: ' ',
    },
    Chronic {
        dx: "hypothyroid",
        dept: "01",
        meds: &[(&["levothyroxine"], 1.0)],
        prevalence: (0.01, 0.03, 0.03),
        sex: 'F',
    },
    Chronic {
        dx: "glaucoma",
        dept: "33",
        meds: &[(&["latanoprost"], 1.0)],
        prevalence: (0.0, 0.02, 0.06),
        sex: ' ',
    },
    Chronic {
        dx: "epilepsy",
        dept: "05",
        meds: &[(&["aleviatin"], 1.0)],
        prevalence: (0.01, 0.01, 0.01),
        sex: ' ',
    },
    Chronic {
        dx: "hyperuricemia",
        dept: "01",
        meds: &[(&["febuxostat"], 1.0)],
        prevalence: (0.01, 0.05, 0.06),
        sex: 'M',
    },
    Chronic {
        dx: "rhinitis",
        dept: "01",
        meds: &[(&["fexofenadine"], 1.0)],
        prevalence: (0.06, 0.05, 0.02),
        sex: ' ',
    },
    Chronic {
        dx: "ida",
        dept: "01",
        meds: &[(&["ferrous"], 1.0)],
        prevalence: (0.02, 0.02, 0.02),
        sex: 'F',
    },
];

/// An acute outpatient problem.
pub struct Acute {
    pub dx: &'static str,
    pub dept: &'static str,
    pub meds: &'static [&'static str],
    pub days: (i64, i64),
    pub lab: f64,
    pub exam: Option<&'static str>,
    pub crp: f64,
    /// (min age, max age)
    pub ages: (i32, i32),
    pub weight: f64,
    /// Diagnosis recorded as suspected (疑い).
    pub suspected: bool,
}

pub static ACUTE: &[Acute] = &[
    Acute {
        dx: "uri",
        dept: "01",
        meds: &["acetaminophen_prn", "carbocisteine", "dextromethorphan"],
        days: (3, 5),
        lab: 0.1,
        exam: None,
        crp: 0.8,
        ages: (15, 110),
        weight: 10.0,
        suspected: false,
    },
    Acute {
        dx: "tonsillitis",
        dept: "01",
        meds: &["pansporin", "darzen", "acetaminophen_prn"],
        days: (5, 5),
        lab: 0.5,
        exam: None,
        crp: 4.0,
        ages: (15, 70),
        weight: 3.0,
        suspected: false,
    },
    Acute {
        dx: "bronchitis",
        dept: "04",
        meds: &["clarithromycin", "carbocisteine", "ambroxol"],
        days: (5, 7),
        lab: 0.5,
        exam: Some("chest_xr"),
        crp: 2.5,
        ages: (15, 110),
        weight: 5.0,
        suspected: false,
    },
    Acute {
        dx: "influenza",
        dept: "01",
        meds: &["oseltamivir", "acetaminophen_prn"],
        days: (5, 5),
        lab: 0.0,
        exam: None,
        crp: 1.5,
        ages: (15, 110),
        weight: 3.0,
        suspected: false,
    },
    Acute {
        dx: "gastroenteritis",
        dept: "03",
        meds: &["famotidine", "rebamipide"],
        days: (3, 5),
        lab: 0.3,
        exam: Some("abd_xr"),
        crp: 1.2,
        ages: (15, 110),
        weight: 4.0,
        suspected: false,
    },
    Acute {
        dx: "low_back_pain",
        dept: "12",
        meds: &["loxoprofen", "rebamipide", "loxoprofen_tape"],
        days: (7, 14),
        lab: 0.0,
        exam: Some("lumbar_xr"),
        crp: 0.1,
        ages: (25, 110),
        weight: 6.0,
        suspected: false,
    },
    Acute {
        dx: "uti",
        dept: "30",
        meds: &["levofloxacin"],
        days: (5, 7),
        lab: 0.6,
        exam: None,
        crp: 2.0,
        ages: (18, 110),
        weight: 4.0,
        suspected: false,
    },
    Acute {
        dx: "zoster",
        dept: "36",
        meds: &["valaciclovir", "acetaminophen"],
        days: (7, 7),
        lab: 0.2,
        exam: None,
        crp: 0.6,
        ages: (40, 110),
        weight: 2.0,
        suspected: false,
    },
    Acute {
        dx: "eczema",
        dept: "36",
        meds: &["betamethasone_oint", "fexofenadine"],
        days: (14, 14),
        lab: 0.0,
        exam: None,
        crp: 0.05,
        ages: (0, 110),
        weight: 3.0,
        suspected: false,
    },
    Acute {
        dx: "gastric_ulcer",
        dept: "03",
        meds: &["lansoprazole", "rebamipide"],
        days: (28, 28),
        lab: 0.8,
        exam: Some("gf"),
        crp: 0.3,
        ages: (30, 110),
        weight: 2.0,
        suspected: true,
    },
    Acute {
        dx: "gastric_ca_susp",
        dept: "03",
        meds: &["rebamipide"],
        days: (14, 14),
        lab: 0.9,
        exam: Some("gf"),
        crp: 0.2,
        ages: (50, 110),
        weight: 0.7,
        suspected: true,
    },
    Acute {
        dx: "angina",
        dept: "02",
        meds: &["aspirin"],
        days: (28, 28),
        lab: 0.8,
        exam: Some("ecg"),
        crp: 0.1,
        ages: (45, 110),
        weight: 1.0,
        suspected: true,
    },
    // Children.
    Acute {
        dx: "uri",
        dept: "20",
        meds: &["carbocisteine_ds", "acetaminophen_gr"],
        days: (3, 5),
        lab: 0.05,
        exam: None,
        crp: 0.5,
        ages: (0, 14),
        weight: 12.0,
        suspected: false,
    },
    Acute {
        dx: "bronchitis",
        dept: "20",
        meds: &["clarithromycin_ds", "carbocisteine_ds"],
        days: (5, 5),
        lab: 0.3,
        exam: Some("chest_xr"),
        crp: 2.0,
        ages: (0, 14),
        weight: 5.0,
        suspected: false,
    },
    Acute {
        dx: "gastroenteritis",
        dept: "20",
        meds: &["acetaminophen_gr"],
        days: (3, 3),
        lab: 0.1,
        exam: None,
        crp: 0.8,
        ages: (0, 14),
        weight: 5.0,
        suspected: false,
    },
    Acute {
        dx: "asthma",
        dept: "20",
        meds: &["montelukast", "carbocisteine_ds"],
        days: (7, 14),
        lab: 0.1,
        exam: Some("chest_xr"),
        crp: 0.3,
        ages: (3, 14),
        weight: 2.0,
        suspected: false,
    },
];

#[cfg(test)]
mod tests {
    use super::super::{drugs::DRUGS, dx::DIAGNOSES};
    use super::*;

    #[test]
    fn references_resolve() {
        let has_drug = |k: &str| DRUGS.iter().any(|d| d.key == k);
        let has_dx = |k: &str| DIAGNOSES.iter().any(|d| d.key == k);
        for c in CHRONIC {
            assert!(has_dx(c.dx), "{}", c.dx);
            for (opts, _) in c.meds {
                for m in *opts {
                    assert!(has_drug(m), "{m}");
                }
            }
        }
        for a in ACUTE {
            assert!(has_dx(a.dx), "{}", a.dx);
            for m in a.meds {
                assert!(has_drug(m), "{m}");
            }
        }
    }
}
