//! Imaging, endoscopy and ECG procedures plus their report texts; diets.
//!
//! JJ1017 codes of the chest/abdomen X-ray follow the NHO sample; the others
//! are plausible 32-character codes built the same way (not verified).

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ExamKind {
    Radiology,
    Endoscopy,
    Ecg,
}

pub struct Exam {
    pub key: &'static str,
    pub kind: ExamKind,
    /// DICOM modality for IPC-5.
    pub modality: &'static str,
    /// `code^name^system` of the parent order.
    pub parent: &'static str,
    pub children: &'static [&'static str],
}

use ExamKind::*;

pub static EXAMS: &[Exam] = &[
    Exam {
        key: "chest_xr",
        kind: Radiology,
        modality: "CR",
        parent: "1000000000000000^Ｘ線単純撮影^JJ1017",
        children: &[
            "10000002000102000000010000000000^胸部.Ｘ線単純撮影.立位正面(A→P)^JJ1017",
            "10000002000106000000010000000000^胸部.Ｘ線単純撮影.立位側面(L→R)^JJ1017",
        ],
    },
    Exam {
        key: "chest_xr_bed",
        kind: Radiology,
        modality: "CR",
        parent: "1000000000000000^Ｘ線単純撮影^JJ1017",
        children: &["10000002000112000000010000000000^胸部.Ｘ線単純撮影.臥位正面(A→P)^JJ1017"],
    },
    Exam {
        key: "abd_xr",
        kind: Radiology,
        modality: "CR",
        parent: "1000000000000000^Ｘ線単純撮影^JJ1017",
        children: &[
            "10000002500102000000010000000000^腹部.Ｘ線単純撮影.立位正面(A→P)^JJ1017",
            "10000002500602000000010000000000^腹部.Ｘ線単純撮影.左側臥位正面(A→P)^JJ1017",
        ],
    },
    Exam {
        key: "lumbar_xr",
        kind: Radiology,
        modality: "CR",
        parent: "1000000000000000^Ｘ線単純撮影^JJ1017",
        children: &[
            "10000004100101000000010000000000^腰椎.Ｘ線単純撮影.正面^JJ1017",
            "10000004100105000000010000000000^腰椎.Ｘ線単純撮影.側面^JJ1017",
        ],
    },
    Exam {
        key: "hip_xr",
        kind: Radiology,
        modality: "CR",
        parent: "1000000000000000^Ｘ線単純撮影^JJ1017",
        children: &["10000006200101000000010000000000^股関節.Ｘ線単純撮影.正面^JJ1017"],
    },
    Exam {
        key: "head_ct",
        kind: Radiology,
        modality: "CT",
        parent: "2000000000000000^ＣＴ^JJ1017",
        children: &["20000001000000000000000000000000^頭部.ＣＴ.単純^JJ1017"],
    },
    Exam {
        key: "chest_ct",
        kind: Radiology,
        modality: "CT",
        parent: "2000000000000000^ＣＴ^JJ1017",
        children: &["20000002000000000000000000000000^胸部.ＣＴ.単純^JJ1017"],
    },
    Exam {
        key: "abd_ct",
        kind: Radiology,
        modality: "CT",
        parent: "2000000000000000^ＣＴ^JJ1017",
        children: &["20000002500000000001000000000000^腹部.ＣＴ.造影^JJ1017"],
    },
    Exam {
        key: "head_mri",
        kind: Radiology,
        modality: "MR",
        parent: "3000000000000000^ＭＲＩ^JJ1017",
        children: &["30000001000000000000000000000000^頭部.ＭＲＩ.単純^JJ1017"],
    },
    Exam {
        key: "lumbar_mri",
        kind: Radiology,
        modality: "MR",
        parent: "3000000000000000^ＭＲＩ^JJ1017",
        children: &["30000004100000000000000000000000^腰椎.ＭＲＩ.単純^JJ1017"],
    },
    Exam {
        key: "echo",
        kind: Radiology,
        modality: "US",
        parent: "99A000000000000^経皮的超音波検査^JJ1017",
        children: &["99A00002100000000000000000000000^心臓.経皮的超音波検査^JJ1017"],
    },
    Exam {
        key: "gf",
        kind: Endoscopy,
        modality: "ES",
        parent: "11000000000^検査.上部.-.-.-.-^LENDO",
        children: &["11000001000^検査.上部.-.-.上部通常内視鏡.-^LENDO"],
    },
    Exam {
        key: "ecg",
        kind: Ecg,
        modality: "ECG",
        parent: "9A110^標準１２誘導心電図^JC10",
        children: &[],
    },
];

pub fn exam(key: &str) -> &'static Exam {
    EXAMS.iter().find(|e| e.key == key).unwrap_or(&EXAMS[0])
}

/// (exam key, finding tag, report text). Tag "" is the normal report.
pub static FINDINGS: &[(&str, &str, &str)] = &[
    ("chest_xr", "", "胸部X線: 心拡大なし。肺野に異常陰影なし。"),
    (
        "chest_xr",
        "infection",
        "胸部X線: 右下肺野に浸潤影を認める。肺炎として矛盾しない。CTR 48%。",
    ),
    ("chest_xr", "infection_f", "胸部X線: 右下肺野の浸潤影は改善傾向。"),
    (
        "chest_xr",
        "hf",
        "胸部X線: 心拡大あり(CTR 58%)。両側肋骨横隔膜角の鈍化、肺うっ血を認める。",
    ),
    ("chest_xr", "hf_f", "胸部X線: 肺うっ血は改善。胸水減少。CTR 54%。"),
    (
        "chest_xr",
        "copd",
        "胸部X線: 肺野の透過性亢進、横隔膜平低化。明らかな浸潤影なし。",
    ),
    (
        "chest_xr",
        "bronchitis",
        "胸部X線: 気管支壁の肥厚を認める。明らかな浸潤影なし。",
    ),
    (
        "chest_xr",
        "postop",
        "胸部X線: 右上葉切除後。ドレーン留置中。気胸なし。",
    ),
    (
        "chest_xr_bed",
        "",
        "胸部X線(臥位): 挿入物の位置良好。明らかな肺炎像なし。",
    ),
    (
        "chest_xr_bed",
        "infection",
        "胸部X線(臥位): 両下肺野に浸潤影。誤嚥性肺炎を疑う。",
    ),
    (
        "chest_xr_bed",
        "infection_f",
        "胸部X線(臥位): 両下肺野の浸潤影は改善。",
    ),
    ("abd_xr", "", "腹部X線: 小腸ガス像軽度増加。鏡面像なし。"),
    (
        "lumbar_xr",
        "",
        "腰椎X線: 腰椎の変形性変化あり。明らかな骨折なし。",
    ),
    (
        "lumbar_xr",
        "vcf",
        "腰椎X線: L1椎体の楔状変形を認める。新鮮圧迫骨折を疑う。",
    ),
    ("hip_xr", "", "股関節X線: 右大腿骨頚部骨折(Garden III)を認める。"),
    (
        "hip_xr",
        "postop",
        "股関節X線: 人工骨頭置換術後。インプラント位置良好。",
    ),
    ("head_ct", "", "頭部CT: 頭蓋内出血なし。明らかな占拠性病変なし。"),
    (
        "head_ct",
        "stroke",
        "頭部CT: 頭蓋内出血なし。左基底核に淡い低吸収域あり。",
    ),
    (
        "head_mri",
        "",
        "頭部MRI: 年齢相応の慢性虚血性変化。急性期病変なし。",
    ),
    (
        "head_mri",
        "stroke",
        "頭部MRI: 拡散強調像で左放線冠に高信号域を認める。急性期脳梗塞。",
    ),
    (
        "chest_ct",
        "",
        "胸部CT: 明らかな結節影なし。縦隔リンパ節腫大なし。",
    ),
    (
        "chest_ct",
        "lungca",
        "胸部CT: 右上葉に長径28mmの分葉状結節あり。縦隔リンパ節腫大なし。",
    ),
    ("abd_ct", "", "腹部CT(造影): 肝・胆・膵・脾に明らかな異常なし。"),
    (
        "abd_ct",
        "appendicitis",
        "腹部CT(造影): 虫垂の腫大(径12mm)と周囲脂肪織濃度上昇を認める。急性虫垂炎。",
    ),
    (
        "abd_ct",
        "biliary",
        "腹部CT(造影): 胆のう腫大、壁肥厚、周囲脂肪織濃度上昇あり。胆のう結石を認める。急性胆のう炎。",
    ),
    ("lumbar_mri", "", "腰椎MRI: L4/5で脊柱管狭窄あり。"),
    (
        "lumbar_mri",
        "vcf",
        "腰椎MRI: T1&T2強調像でL1椎体に信号変化、STIR高信号。新鮮圧迫骨折。",
    ),
    (
        "echo",
        "",
        "心エコー: LVEF 62%。壁運動異常なし。有意な弁膜症なし。",
    ),
    (
        "echo",
        "hf",
        "心エコー: LVEF 35%。左室びまん性壁運動低下。中等度僧帽弁逆流。NYHA II~III 相当。",
    ),
    (
        "gf",
        "",
        "上部消化管内視鏡: 食道・胃・十二指腸に明らかな異常なし。萎縮性胃炎(C-2)。",
    ),
    (
        "gf",
        "bleeding",
        "上部消化管内視鏡: 胃角部小弯に露出血管を伴う潰瘍(A1)あり。クリップにて止血。",
    ),
    (
        "gf",
        "ulcer",
        "上部消化管内視鏡: 胃体下部に潰瘍瘢痕(S1)あり。生検施行(Group 1)。",
    ),
    ("ecg", "", "正常洞調律。明らかな異常なし。"),
    ("ecg", "af", "心房細動。心室応答はコントロール良好。"),
    ("ecg", "hf", "洞調律。左室肥大。ST-T変化あり。"),
];

pub fn finding(exam: &str, tag: &str) -> &'static str {
    FINDINGS
        .iter()
        .find(|(e, t, _)| *e == exam && *t == tag)
        .or_else(|| FINDINGS.iter().find(|(e, t, _)| *e == exam && t.is_empty()))
        .map(|f| f.2)
        .unwrap_or("所見なし。")
}

/// (code, name, comment) for ODS-3/ODS-4.
pub struct Diet {
    pub key: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub comment: &'static str,
}

pub static DIETS: &[Diet] = &[
    Diet {
        key: "regular",
        code: "001",
        name: "常食",
        comment: "",
    },
    Diet {
        key: "zenkayu",
        code: "002",
        name: "全粥食",
        comment: "",
    },
    Diet {
        key: "gobukayu",
        code: "003",
        name: "五分粥食",
        comment: "",
    },
    Diet {
        key: "liquid",
        code: "004",
        name: "流動食",
        comment: "",
    },
    Diet {
        key: "lowsalt",
        code: "010",
        name: "減塩食",
        comment: "塩分６ｇ／日",
    },
    Diet {
        key: "diabetic",
        code: "020",
        name: "糖尿病食",
        comment: "１６００ｋｃａｌ",
    },
    Diet {
        key: "renal",
        code: "030",
        name: "腎臓病食",
        comment: "蛋白４０ｇ、塩分６ｇ",
    },
    Diet {
        key: "dysphagia",
        code: "040",
        name: "嚥下調整食",
        comment: "ペースト食、とろみ付き",
    },
    Diet {
        key: "child",
        code: "050",
        name: "幼児食",
        comment: "",
    },
    Diet {
        key: "postpartum",
        code: "060",
        name: "産褥食",
        comment: "",
    },
    Diet {
        key: "npo",
        code: "090",
        name: "絶食",
        comment: "絶飲食",
    },
];

pub fn diet(key: &str) -> &'static Diet {
    DIETS.iter().find(|d| d.key == key).unwrap_or(&DIETS[0])
}

#[cfg(test)]
mod tests {
    use super::super::hl7::is_jis_encodable;
    use super::*;

    #[test]
    fn catalog_sane() {
        for e in EXAMS {
            assert!(is_jis_encodable(e.parent));
            for c in e.children {
                assert!(is_jis_encodable(c));
            }
        }
        for (_, _, t) in FINDINGS {
            assert!(is_jis_encodable(t), "{t}");
        }
        for d in DIETS {
            assert!(is_jis_encodable(d.name) && is_jis_encodable(d.comment));
        }
    }
}
