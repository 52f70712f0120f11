//! Laboratory catalog: JLAC10 items, units, reference ranges, panels.

/// Specimen (SPM-4), JLAC10 material code.
pub struct Specimen {
    pub code: &'static str,
    pub name: &'static str,
}

pub static SERUM: Specimen = Specimen {
    code: "023",
    name: "血清",
};
pub static WHOLE_BLOOD: Specimen = Specimen {
    code: "019",
    name: "全血",
};
pub static PLASMA: Specimen = Specimen {
    code: "022",
    name: "血漿",
};
pub static URINE: Specimen = Specimen {
    code: "001",
    name: "尿",
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Analyte {
    Tp,
    Alb,
    Ast,
    Alt,
    Ldh,
    Alp,
    Ggt,
    Tbil,
    Bun,
    Cr,
    Egfr,
    Ua,
    Na,
    K,
    Cl,
    Ca,
    Crp,
    Glu,
    Hba1c,
    Tcho,
    Ldl,
    Hdl,
    Tg,
    Ck,
    Amy,
    Bnp,
    Wbc,
    Rbc,
    Hb,
    Ht,
    Plt,
    PtInr,
    Ddimer,
    UProt,
    UGlu,
    UBlood,
}

pub struct Item {
    pub a: Analyte,
    pub jlac10: &'static str,
    pub name: &'static str,
    /// Lab-system local code and name (OBX-3 components 4-6), when used.
    pub local: Option<(&'static str, &'static str)>,
    pub unit: &'static str,
    /// Reference ranges (male, female); `hi` may be f64::INFINITY.
    pub male: (f64, f64),
    pub female: (f64, f64),
    pub decimals: usize,
    /// Qualitative (ST) result such as `(-)`, `(1+)`.
    pub qualitative: bool,
}

const INF: f64 = f64::INFINITY;

#[allow(clippy::too_many_arguments)]
const fn it(
    a: Analyte,
    jlac10: &'static str,
    name: &'static str,
    local: Option<(&'static str, &'static str)>,
    unit: &'static str,
    male: (f64, f64),
    female: (f64, f64),
    decimals: usize,
) -> Item {
    Item {
        a,
        jlac10,
        name,
        local,
        unit,
        male,
        female,
        decimals,
        qualitative: false,
    }
}

const fn ql(a: Analyte, jlac10: &'static str, name: &'static str) -> Item {
    Item {
        a,
        jlac10,
        name,
        local: None,
        unit: "",
        male: (0.0, 0.0),
        female: (0.0, 0.0),
        decimals: 0,
        qualitative: true,
    }
}

use Analyte::*;

pub static ITEMS: &[Item] = &[
    it(
        Tp,
        "3A010000002327101",
        "総蛋白",
        Some(("10222", "ＴＰ")),
        "g/dL",
        (6.6, 8.1),
        (6.6, 8.1),
        1,
    ),
    it(
        Alb,
        "3A015000002327101",
        "アルブミン",
        Some(("10223", "ＡＬＢ")),
        "g/dL",
        (4.1, 5.1),
        (4.1, 5.1),
        1,
    ),
    it(
        Ast,
        "3B035000002327201",
        "ＡＳＴ",
        Some(("10207", "ＡＳＴ")),
        "U/L",
        (13.0, 30.0),
        (13.0, 30.0),
        0,
    ),
    it(
        Alt,
        "3B045000002327201",
        "ＡＬＴ",
        Some(("10208", "ＡＬＴ")),
        "U/L",
        (10.0, 42.0),
        (7.0, 23.0),
        0,
    ),
    it(
        Ldh,
        "3B050000002327201",
        "ＬＤ",
        Some(("10206", "ＬＤＨ")),
        "U/L",
        (124.0, 222.0),
        (124.0, 222.0),
        0,
    ),
    it(
        Alp,
        "3B070000002327205",
        "ＡＬＰ",
        None,
        "U/L",
        (38.0, 113.0),
        (38.0, 113.0),
        0,
    ),
    it(
        Ggt,
        "3B090000002327201",
        "γ－ＧＴ",
        Some(("10210", "γ－ＧＴＰ")),
        "U/L",
        (13.0, 64.0),
        (9.0, 32.0),
        0,
    ),
    it(
        Tbil,
        "3J010000002327101",
        "総ビリルビン",
        Some(("10213", "Ｔ－Ｂｉｌ")),
        "mg/dL",
        (0.4, 1.5),
        (0.4, 1.5),
        1,
    ),
    it(
        Bun,
        "3C025000002327201",
        "尿素窒素",
        Some(("10216", "ＢＵＮ")),
        "mg/dL",
        (8.0, 20.0),
        (8.0, 20.0),
        1,
    ),
    it(
        Cr,
        "3C015000002327201",
        "クレアチニン",
        Some(("10217", "ＣＲＥ")),
        "mg/dL",
        (0.65, 1.07),
        (0.46, 0.79),
        2,
    ),
    it(
        Egfr,
        "8A065000002391901",
        "ｅＧＦＲ",
        None,
        "mL/min/1.73m2",
        (60.0, INF),
        (60.0, INF),
        1,
    ),
    it(
        Ua,
        "3C020000002327101",
        "尿酸",
        Some(("10218", "ＵＡ")),
        "mg/dL",
        (3.7, 7.8),
        (2.6, 5.5),
        1,
    ),
    it(
        Na,
        "3H010000002327101",
        "ナトリウム",
        Some(("10230", "Ｎａ")),
        "mEq/L",
        (138.0, 145.0),
        (138.0, 145.0),
        0,
    ),
    it(
        K,
        "3H015000002327101",
        "カリウム",
        Some(("10231", "Ｋ")),
        "mEq/L",
        (3.6, 4.8),
        (3.6, 4.8),
        1,
    ),
    it(
        Cl,
        "3H020000002327101",
        "クロール",
        Some(("10232", "Ｃｌ")),
        "mEq/L",
        (101.0, 108.0),
        (101.0, 108.0),
        0,
    ),
    it(
        Ca,
        "3H030000002327101",
        "カルシウム",
        None,
        "mg/dL",
        (8.8, 10.1),
        (8.8, 10.1),
        1,
    ),
    it(
        Crp,
        "5C070000002306001",
        "ＣＲＰ",
        Some(("10401", "ＣＲＰ")),
        "mg/dL",
        (0.0, 0.14),
        (0.0, 0.14),
        2,
    ),
    it(
        Glu,
        "3D010000001926101",
        "グルコース",
        Some(("10240", "血糖")),
        "mg/dL",
        (73.0, 109.0),
        (73.0, 109.0),
        0,
    ),
    it(
        Hba1c,
        "3D046000001906202",
        "ＨｂＡ１ｃ（ＮＧＳＰ）",
        None,
        "%",
        (4.9, 6.0),
        (4.9, 6.0),
        1,
    ),
    it(
        Tcho,
        "3F050000002327101",
        "総コレステロール",
        None,
        "mg/dL",
        (142.0, 248.0),
        (142.0, 248.0),
        0,
    ),
    it(
        Ldl,
        "3F077000002327101",
        "ＬＤＬコレステロール",
        None,
        "mg/dL",
        (65.0, 163.0),
        (65.0, 163.0),
        0,
    ),
    it(
        Hdl,
        "3F070000002327101",
        "ＨＤＬコレステロール",
        None,
        "mg/dL",
        (38.0, 90.0),
        (48.0, 103.0),
        0,
    ),
    it(
        Tg,
        "3F015000002327101",
        "中性脂肪",
        None,
        "mg/dL",
        (40.0, 234.0),
        (30.0, 117.0),
        0,
    ),
    it(
        Ck,
        "3B010000002327201",
        "ＣＫ",
        None,
        "U/L",
        (59.0, 248.0),
        (41.0, 153.0),
        0,
    ),
    it(
        Amy,
        "3B160000002327201",
        "アミラーゼ",
        None,
        "U/L",
        (44.0, 132.0),
        (44.0, 132.0),
        0,
    ),
    it(
        Bnp,
        "4Q280000002317101",
        "ＢＮＰ",
        None,
        "pg/mL",
        (0.0, 18.4),
        (0.0, 18.4),
        1,
    ),
    it(
        Wbc,
        "2A990000001930952",
        "白血球数",
        None,
        "10*3/uL",
        (3.3, 8.6),
        (3.3, 8.6),
        1,
    ),
    it(
        Rbc,
        "2A020000001930101",
        "赤血球数",
        None,
        "10*6/uL",
        (4.35, 5.55),
        (3.86, 4.92),
        2,
    ),
    it(
        Hb,
        "2A030000001930101",
        "ヘモグロビン",
        None,
        "g/dL",
        (13.7, 16.8),
        (11.6, 14.8),
        1,
    ),
    it(
        Ht,
        "2A040000001930102",
        "ヘマトクリット",
        None,
        "%",
        (40.7, 50.1),
        (35.1, 44.4),
        1,
    ),
    it(
        Plt,
        "2A050000001930952",
        "血小板数",
        None,
        "10*4/uL",
        (15.8, 34.8),
        (15.8, 34.8),
        1,
    ),
    it(
        PtInr,
        "2B030000002231151",
        "ＰＴ－ＩＮＲ",
        None,
        "INR",
        (0.85, 1.15),
        (0.85, 1.15),
        2,
    ),
    it(
        Ddimer,
        "2B140000002227101",
        "Ｄダイマー",
        None,
        "ug/mL",
        (0.0, 1.0),
        (0.0, 1.0),
        1,
    ),
    ql(UProt, "1A010000000190111", "尿蛋白定性"),
    ql(UGlu, "1A020000000190111", "尿糖定性"),
    ql(UBlood, "1A100000000190111", "尿潜血定性"),
];

pub fn item(a: Analyte) -> &'static Item {
    ITEMS.iter().find(|i| i.a == a).unwrap_or(&ITEMS[0])
}

/// One OBR battery on one specimen.
pub struct Panel {
    pub code: &'static str,
    pub name: &'static str,
    pub specimen: &'static Specimen,
    pub items: &'static [Analyte],
}

pub static CHEM: Panel = Panel {
    code: "E002",
    name: "生化学的検査",
    specimen: &SERUM,
    items: &[
        Tp, Alb, Ast, Alt, Ldh, Ggt, Tbil, Bun, Cr, Egfr, Ua, Na, K, Cl, Crp, Glu,
    ],
};
pub static CHEM_SHORT: Panel = Panel {
    code: "E002",
    name: "生化学的検査",
    specimen: &SERUM,
    items: &[Ast, Alt, Bun, Cr, Egfr, Na, K, Cl, Crp],
};
pub static CBC: Panel = Panel {
    code: "E001",
    name: "血液学的検査",
    specimen: &WHOLE_BLOOD,
    items: &[Wbc, Rbc, Hb, Ht, Plt],
};
pub static DM: Panel = Panel {
    code: "E003",
    name: "糖代謝検査",
    specimen: &WHOLE_BLOOD,
    items: &[Hba1c],
};
pub static LIPID: Panel = Panel {
    code: "E004",
    name: "脂質検査",
    specimen: &SERUM,
    items: &[Tcho, Ldl, Hdl, Tg],
};
pub static HEART: Panel = Panel {
    code: "E005",
    name: "心機能検査",
    specimen: &PLASMA,
    items: &[Bnp],
};
pub static COAG: Panel = Panel {
    code: "E006",
    name: "凝固検査",
    specimen: &PLASMA,
    items: &[PtInr, Ddimer],
};
pub static URINALYSIS: Panel = Panel {
    code: "E007",
    name: "尿定性検査",
    specimen: &URINE,
    items: &[UProt, UGlu, UBlood],
};
pub static ADMISSION_EXTRA: Panel = Panel {
    code: "E008",
    name: "生化学的検査（追加）",
    specimen: &SERUM,
    items: &[Alp, Ca, Ck, Amy],
};

#[cfg(test)]
mod tests {
    use super::super::hl7::is_jis_encodable;
    use super::*;

    #[test]
    fn codes_are_jlac10() {
        for i in ITEMS {
            assert_eq!(i.jlac10.len(), 17, "{}", i.name);
            let b = i.jlac10.as_bytes();
            assert!(b[0].is_ascii_digit() && b[1].is_ascii_uppercase());
            assert!(is_jis_encodable(i.name), "{}", i.name);
            assert!(i.unit.is_ascii());
        }
    }
}
