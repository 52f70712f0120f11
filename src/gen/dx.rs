//! Diagnoses (MEDIS 病名管理番号 + ICD-10) and allergens.
//!
//! ICD-10 codes are real; MEDIS numbers and 病名交換用コード are plausible
//! invented values (stable within this generator).

pub struct Diagnosis {
    pub key: &'static str,
    pub medis: &'static str,
    pub exch: &'static str,
    pub icd10: &'static str,
    pub name: &'static str,
}

const fn dg(
    key: &'static str,
    medis: &'static str,
    exch: &'static str,
    icd10: &'static str,
    name: &'static str,
) -> Diagnosis {
    Diagnosis {
        key,
        medis,
        exch,
        icd10,
        name,
    }
}

pub static DIAGNOSES: &[Diagnosis] = &[
    // Chronic.
    dg("htn", "20059431", "RKD5", "I10", "本態性高血圧症"),
    dg("dm2", "20061452", "E1TN", "E119", "２型糖尿病"),
    dg("dl", "20064120", "SHJ7", "E785", "脂質異常症"),
    dg("ckd", "20077813", "MKJ3", "N189", "慢性腎臓病"),
    dg("chf", "20055619", "MSF2", "I500", "慢性心不全"),
    dg("af", "20057002", "SBS6", "I48", "心房細動"),
    dg("angina", "20054815", "KSS1", "I209", "狭心症"),
    dg("old_ci", "20083321", "CKNB", "I693", "陳旧性脳梗塞"),
    dg("copd", "20069934", "MHS9", "J449", "慢性閉塞性肺疾患"),
    dg("asthma", "20052261", "KKZ4", "J459", "気管支喘息"),
    dg("gerd", "20081706", "GRE8", "K210", "逆流性食道炎"),
    dg("gastritis", "20054174", "TSQF", "K295", "慢性胃炎"),
    dg("constipation", "20073390", "BPS2", "K590", "便秘症"),
    dg("osteoporosis", "20066281", "KSS7", "M8199", "骨粗鬆症"),
    dg("knee_oa", "20062245", "HKS4", "M1799", "変形性膝関節症"),
    dg("lss", "20079950", "YSK6", "M4806", "腰部脊柱管狭窄症"),
    dg("insomnia", "20075112", "FMS1", "G470", "不眠症"),
    dg("dementia", "20050678", "ANS3", "G309", "アルツハイマー型認知症"),
    dg("bph", "20068147", "ZRS5", "N40", "前立腺肥大症"),
    dg("oab", "20083902", "KKB2", "N328", "過活動膀胱"),
    dg("hypothyroid", "20071568", "KJK6", "E039", "甲状腺機能低下症"),
    dg("glaucoma", "20066903", "RNS1", "H409", "緑内障"),
    dg("epilepsy", "20079001", "TKN8", "G409", "てんかん"),
    dg("hyperuricemia", "20062670", "KNS2", "E790", "高尿酸血症"),
    dg("rhinitis", "20050121", "ABE5", "J304", "アレルギー性鼻炎"),
    dg("ida", "20077240", "TBH4", "D509", "鉄欠乏性貧血"),
    // Acute / admission.
    dg("pneumonia", "20064588", "HEN1", "J189", "肺炎"),
    dg("asp_pneumonia", "20058806", "GEH3", "J690", "誤嚥性肺炎"),
    dg("uri", "20051187", "JKE6", "J069", "急性上気道炎"),
    dg("bronchitis", "20053921", "KKE2", "J209", "急性気管支炎"),
    dg("tonsillitis", "20051650", "HTE9", "J039", "急性扁桃炎"),
    dg("influenza", "20054402", "INF7", "J111", "インフルエンザ"),
    dg("gastroenteritis", "20053017", "ICE3", "A09", "急性胃腸炎"),
    dg("gastric_ulcer", "20054237", "IKY2", "K259", "胃潰瘍"),
    dg("bleeding_ulcer", "20054249", "SIK5", "K254", "出血性胃潰瘍"),
    dg("cholecystitis", "20064016", "TNE8", "K810", "急性胆のう炎"),
    dg("appendicitis", "20052855", "CSE1", "K359", "急性虫垂炎"),
    dg("uti", "20063775", "NRK6", "N390", "尿路感染症"),
    dg("pyelonephritis", "20052990", "JUE4", "N10", "急性腎盂腎炎"),
    dg("adhf", "20055627", "UKS4", "I509", "うっ血性心不全"),
    dg("hip_fx", "20067531", "DKK2", "S7200", "大腿骨頚部骨折"),
    dg("vcf", "20067609", "YAK8", "S3200", "腰椎圧迫骨折"),
    dg("zoster", "20071420", "TSH1", "B029", "帯状疱疹"),
    dg("cellulitis", "20068415", "HSS3", "L039", "蜂窩織炎"),
    dg("dehydration", "20061118", "DSS6", "E86", "脱水症"),
    dg("low_back_pain", "20073802", "YTS3", "M5456", "腰痛症"),
    dg("lung_ca", "20085013", "HGN6", "C341", "右上葉肺癌"),
    dg("stroke", "20055005", "NKS7", "I639", "脳梗塞"),
    dg("rsv", "20084219", "RSV2", "J210", "ＲＳウイルス細気管支炎"),
    dg("delivery", "20080166", "SBN1", "O800", "正常分娩"),
    dg("pregnancy", "20080012", "NSN3", "Z349", "妊娠"),
    dg(
        "copd_ae",
        "20069946",
        "MHZ2",
        "J441",
        "慢性閉塞性肺疾患の急性増悪",
    ),
    dg("eczema", "20069210", "SSN4", "L309", "湿疹"),
    dg("cataract", "20060771", "HNS8", "H259", "老人性白内障"),
    dg("gastric_ca_susp", "20054461", "IGN2", "C169", "胃癌"),
    dg("dm_edu", "20061452", "E1TN", "E119", "２型糖尿病"),
];

pub fn diagnosis(key: &str) -> &'static Diagnosis {
    DIAGNOSES.iter().find(|d| d.key == key).unwrap_or(&DIAGNOSES[0])
}

/// HL7 table 0127 allergy category.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AllergyKind {
    Drug,
    Food,
    Env,
    Pollen,
}

impl AllergyKind {
    pub fn code(self) -> &'static str {
        match self {
            AllergyKind::Drug => "DA^薬剤アレルギー^HL70127",
            AllergyKind::Food => "FA^食物アレルギー^HL70127",
            AllergyKind::Env => "EA^環境アレルギー^HL70127",
            AllergyKind::Pollen => "LA^花粉アレルギー^HL70127",
        }
    }
}

pub struct Allergen {
    pub kind: AllergyKind,
    /// `code^name^system` (HOT9 for drugs, JC10 otherwise).
    pub code: &'static str,
    pub name: &'static str,
    pub system: &'static str,
    pub reactions: &'static [&'static str],
    pub weight: u32,
}

const fn al(
    kind: AllergyKind,
    code: &'static str,
    name: &'static str,
    system: &'static str,
    reactions: &'static [&'static str],
    weight: u32,
) -> Allergen {
    Allergen {
        kind,
        code,
        name,
        system,
        reactions,
        weight,
    }
}

use AllergyKind::*;

pub static ALLERGENS: &[Allergen] = &[
    al(
        Drug,
        "101570105",
        "サワシリンカプセル２５０（ペニシリン系）",
        "HOT9",
        &["全身の蕁麻疹", "発疹", "呼吸困難"],
        10,
    ),
    al(
        Drug,
        "109330302",
        "セフカペンピボキシル（セフェム系）",
        "HOT9",
        &["発疹", "そう痒感"],
        6,
    ),
    al(
        Drug,
        "620009901",
        "イオパミロン注３００（ヨード造影剤）",
        "HOT9",
        &["嘔気・嘔吐", "蕁麻疹", "血圧低下"],
        6,
    ),
    al(
        Drug,
        "108800302",
        "ロキソニン（ロキソプロフェン）",
        "HOT9",
        &["喘息発作", "顔面浮腫"],
        6,
    ),
    al(
        Drug,
        "108430801",
        "アスピリン",
        "HOT9",
        &["喘息発作", "蕁麻疹"],
        3,
    ),
    al(
        Drug,
        "101682602",
        "キシロカインスプレー（局所麻酔薬）",
        "HOT9",
        &["動悸", "気分不良"],
        2,
    ),
    al(
        Drug,
        "106824501",
        "アリナミン",
        "HOT9",
        &["のどの渇きが止まらない"],
        1,
    ),
    al(
        Drug,
        "109880503",
        "クラリスロマイシン",
        "HOT9",
        &["下痢", "発疹"],
        2,
    ),
    al(
        Food,
        "5A1002411023006",
        "ソバ",
        "JC10",
        &["湿疹", "アナフィラキシーショック", "口腔内のかゆみ"],
        5,
    ),
    al(Food, "5A1002401023012", "卵白", "JC10", &["湿疹", "蕁麻疹"], 4),
    al(
        Food,
        "5A1002404023001",
        "小麦",
        "JC10",
        &["蕁麻疹", "運動誘発アナフィラキシー"],
        3,
    ),
    al(
        Food,
        "5A1002452023007",
        "エビ",
        "JC10",
        &["蕁麻疹", "口唇の腫れ"],
        4,
    ),
    al(Food, "5A1002453023004", "カニ", "JC10", &["蕁麻疹"], 2),
    al(Food, "5A1002402023009", "牛乳", "JC10", &["下痢", "湿疹"], 2),
    al(
        Food,
        "5A1002431023005",
        "落花生",
        "JC10",
        &["口腔内のかゆみ", "呼吸困難"],
        2,
    ),
    al(
        Pollen,
        "5A1002216023023",
        "スギ",
        "JC10",
        &["目のかゆみ", "くしゃみ・鼻汁"],
        12,
    ),
    al(
        Pollen,
        "5A1002213023012",
        "ヒノキ",
        "JC10",
        &["目のかゆみ", "鼻閉"],
        4,
    ),
    al(
        Env,
        "5A1102700023023",
        "ハウスダスト",
        "JC10",
        &["くしゃみ", "鼻汁"],
        8,
    ),
    al(
        Env,
        "5A1002102023007",
        "ヤケヒョウヒダニ",
        "JC10",
        &["くしゃみ", "喘鳴"],
        4,
    ),
    al(
        Env,
        "5A1002501023016",
        "ネコ皮屑",
        "JC10",
        &["目のかゆみ", "喘鳴"],
        2,
    ),
    al(
        Env,
        "5A1009901023099",
        "ラテックス",
        "JC10",
        &["接触部の発赤", "蕁麻疹"],
        2,
    ),
];

/// Severity (HL7 table 0128).
pub static SEVERITY: &[&str] = &["MI^軽度^HL70128", "MO^中等度^HL70128", "SV^重度^HL70128"];

#[cfg(test)]
mod tests {
    use super::super::hl7::is_jis_encodable;
    use super::*;

    #[test]
    fn catalog_sane() {
        for d in DIAGNOSES {
            assert_eq!(d.medis.len(), 8);
            assert!(is_jis_encodable(d.name), "{}", d.name);
        }
        for a in ALLERGENS {
            assert!(is_jis_encodable(a.name), "{}", a.name);
            for r in a.reactions {
                assert!(is_jis_encodable(r), "{r}");
            }
        }
    }
}
