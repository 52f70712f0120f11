//! Departments, doctors, wards and the (fictional) hospital itself.

pub struct Doctor {
    pub code: &'static str,
    pub family: &'static str,
    pub given: &'static str,
    pub family_kana: &'static str,
    pub given_kana: &'static str,
}

pub struct Dept {
    pub code: &'static str,
    pub name: &'static str,
    /// Preferred ward for admissions.
    pub ward: &'static str,
    pub doctors: &'static [Doctor],
}

const fn d(
    code: &'static str,
    family: &'static str,
    given: &'static str,
    family_kana: &'static str,
    given_kana: &'static str,
) -> Doctor {
    Doctor {
        code,
        family,
        given,
        family_kana,
        given_kana,
    }
}

pub static DEPTS: &[Dept] = &[
    Dept {
        code: "01",
        name: "内科",
        ward: "3E",
        doctors: &[
            d("D0101", "松田", "健一", "マツダ", "ケンイチ"),
            d("D0102", "大西", "真理子", "オオニシ", "マリコ"),
            d("D0103", "北村", "拓海", "キタムラ", "タクミ"),
            d("D0104", "野村", "直子", "ノムラ", "ナオコ"),
        ],
    },
    Dept {
        code: "02",
        name: "循環器内科",
        ward: "3W",
        doctors: &[
            d("D0201", "桑原", "誠司", "クワハラ", "セイジ"),
            d("D0202", "川口", "英樹", "カワグチ", "ヒデキ"),
            d("D0203", "平野", "沙織", "ヒラノ", "サオリ"),
        ],
    },
    Dept {
        code: "03",
        name: "消化器内科",
        ward: "4E",
        doctors: &[
            d("D0301", "今井", "俊介", "イマイ", "シュンスケ"),
            d("D0302", "高田", "恵美", "タカダ", "エミ"),
            d("D0303", "荒木", "浩之", "アラキ", "ヒロユキ"),
        ],
    },
    Dept {
        code: "04",
        name: "呼吸器内科",
        ward: "3E",
        doctors: &[
            d("D0401", "宮田", "雅人", "ミヤタ", "マサト"),
            d("D0402", "菅原", "千尋", "スガワラ", "チヒロ"),
        ],
    },
    Dept {
        code: "05",
        name: "脳神経内科",
        ward: "3E",
        doctors: &[
            d("D0501", "久保", "裕也", "クボ", "ユウヤ"),
            d("D0502", "服部", "由紀", "ハットリ", "ユキ"),
        ],
    },
    Dept {
        code: "10",
        name: "外科",
        ward: "4W",
        doctors: &[
            d("D1001", "岩崎", "剛", "イワサキ", "ツヨシ"),
            d("D1002", "松井", "康弘", "マツイ", "ヤスヒロ"),
            d("D1003", "千葉", "麻美", "チバ", "アサミ"),
        ],
    },
    Dept {
        code: "12",
        name: "整形外科",
        ward: "5E",
        doctors: &[
            d("D1201", "木下", "大介", "キノシタ", "ダイスケ"),
            d("D1202", "野田", "隆之", "ノダ", "タカユキ"),
            d("D1203", "丸山", "香織", "マルヤマ", "カオリ"),
        ],
    },
    Dept {
        code: "15",
        name: "呼吸器外科",
        ward: "4W",
        doctors: &[d("D1501", "古川", "正和", "フルカワ", "マサカズ")],
    },
    Dept {
        code: "20",
        name: "小児科",
        ward: "5W",
        doctors: &[
            d("D2001", "西田", "美穂", "ニシダ", "ミホ"),
            d("D2002", "大橋", "亮介", "オオハシ", "リョウスケ"),
        ],
    },
    Dept {
        code: "24",
        name: "産婦人科",
        ward: "5W",
        doctors: &[
            d("D2401", "市川", "由香里", "イチカワ", "ユカリ"),
            d("D2402", "永井", "智", "ナガイ", "サトシ"),
        ],
    },
    Dept {
        code: "30",
        name: "泌尿器科",
        ward: "3W",
        doctors: &[d("D3001", "堀", "健二", "ホリ", "ケンジ")],
    },
    Dept {
        code: "33",
        name: "眼科",
        ward: "4W",
        doctors: &[d("D3301", "関", "友美", "セキ", "トモミ")],
    },
    Dept {
        code: "36",
        name: "皮膚科",
        ward: "3E",
        doctors: &[d("D3601", "秋山", "純子", "アキヤマ", "ジュンコ")],
    },
    Dept {
        code: "40",
        name: "放射線科",
        ward: "3E",
        doctors: &[d("D4001", "安田", "誠", "ヤスダ", "マコト")],
    },
];

pub fn dept(code: &str) -> &'static Dept {
    DEPTS.iter().find(|d| d.code == code).unwrap_or(&DEPTS[0])
}

pub struct WardSpec {
    pub code: &'static str,
    pub name: &'static str,
    /// First room number; rooms count up from here.
    pub first_room: u32,
    pub icu: bool,
}

pub static WARDS: &[WardSpec] = &[
    WardSpec {
        code: "3E",
        name: "3階東病棟",
        first_room: 301,
        icu: false,
    },
    WardSpec {
        code: "3W",
        name: "3階西病棟",
        first_room: 351,
        icu: false,
    },
    WardSpec {
        code: "4E",
        name: "4階東病棟",
        first_room: 401,
        icu: false,
    },
    WardSpec {
        code: "4W",
        name: "4階西病棟",
        first_room: 451,
        icu: false,
    },
    WardSpec {
        code: "5E",
        name: "5階東病棟",
        first_room: 501,
        icu: false,
    },
    WardSpec {
        code: "5W",
        name: "5階西病棟",
        first_room: 551,
        icu: false,
    },
    WardSpec {
        code: "ICU",
        name: "集中治療室",
        first_room: 201,
        icu: true,
    },
];

pub fn ward_index(code: &str) -> usize {
    WARDS.iter().position(|w| w.code == code).unwrap_or(0)
}

/// Fictional hospital used in ORC-21..23.
pub const HOSPITAL: &str = "こもれび総合病院";
pub const HOSPITAL_ADDR: &str = "^^^^420-0899^JPN^^静岡県静岡市葵区こもれび町１－１";
pub const HOSPITAL_TEL: &str = "^^^^^^^^^^^054-000-1234";

/// Order-entry clerks and nurses (ORC-10, RXA-10).
pub static CLERKS: &[(&str, &str, &str)] = &[
    ("N0058", "入力", "花子"),
    ("N0101", "望月", "理恵"),
    ("N0102", "鈴木", "綾香"),
    ("N0103", "杉本", "美紀"),
    ("N0104", "小池", "千里"),
];

#[cfg(test)]
mod tests {
    use super::super::hl7::is_jis_encodable;
    use super::*;

    #[test]
    fn catalog_consistent() {
        for d in DEPTS {
            assert!(WARDS.iter().any(|w| w.code == d.ward), "{}", d.code);
            assert!(is_jis_encodable(d.name));
            for doc in d.doctors {
                assert!(is_jis_encodable(doc.family) && is_jis_encodable(doc.given_kana));
            }
        }
        for w in WARDS {
            assert!(is_jis_encodable(w.name));
        }
        assert!(is_jis_encodable(HOSPITAL) && is_jis_encodable(HOSPITAL_ADDR));
    }
}
