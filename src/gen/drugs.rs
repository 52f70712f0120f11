//! Drug catalog: oral / external drugs, injections, JAMI dosage codes.
//!
//! HOT9 codes marked "sample" are taken from the NHO sample storage; the rest
//! are plausible 9-digit codes invented for this synthetic data set (stable,
//! unique, not guaranteed to match the real HOT master). YJ codes likewise.

#[derive(Clone, Copy)]
pub struct Unit {
    pub code: &'static str,
    pub name: &'static str,
}

const fn u(code: &'static str, name: &'static str) -> Unit {
    Unit { code, name }
}

pub const TAB: Unit = u("TAB", "錠");
pub const CAP: Unit = u("CAP", "カプセル");
pub const G: Unit = u("G", "グラム");
pub const MG: Unit = u("MG", "ミリグラム");
pub const ML: Unit = u("ML", "ミリリットル");
pub const MAI: Unit = u("MAI", "枚");
pub const HON: Unit = u("HON", "本");
pub const KIT: Unit = u("KIT", "キット");
pub const AMP: Unit = u("AMP", "アンプル");
pub const VIA: Unit = u("VIA", "バイアル");
pub const BAG: Unit = u("BAG", "袋");

// Dosage forms (RXE-6, MR9P).
pub const F_TAB: Unit = u("TAB", "錠");
pub const F_CAP: Unit = u("CAP", "カプセル");
pub const F_PWD: Unit = u("PWD", "散剤");
pub const F_GRA: Unit = u("GRA", "顆粒剤");
pub const F_SYR: Unit = u("SYR", "シロップ剤");
pub const F_OIT: Unit = u("OIT", "軟膏");
pub const F_TPE: Unit = u("TPE", "テープ剤");
pub const F_EYE: Unit = u("EYD", "点眼剤");
pub const F_INH: Unit = u("INH", "吸入剤");
pub const F_LQD: Unit = u("LQD", "液剤");

/// JAMI standard dosage (用法) code and text.
pub struct Usage {
    pub code: &'static str,
    pub text: &'static str,
    pub per_day: u32,
    pub prn: bool,
    pub weekly: bool,
}

const fn us(code: &'static str, text: &'static str, per_day: u32) -> Usage {
    Usage {
        code,
        text,
        per_day,
        prn: false,
        weekly: false,
    }
}

pub static TID: Usage = us("1013044400000000", "内服・経口・１日３回朝昼夕食後", 3);
pub static BID: Usage = us("1012040400000000", "内服・経口・１日２回朝夕食後", 2);
pub static QD_M: Usage = us("1011040000000000", "内服・経口・１日１回朝食後", 1);
pub static QD_E: Usage = us("1011000400000000", "内服・経口・１日１回夕食後", 1);
pub static QD_HS: Usage = us("1011000010000000", "内服・経口・１日１回就寝前", 1);
pub static TID_AC: Usage = us("1013022200000000", "内服・経口・１日３回朝昼夕食直前", 3);
pub static TID_BM: Usage = us("1013033300000000", "内服・経口・１日３回朝昼夕食間", 3);
pub static WEEKLY: Usage = Usage {
    code: "1011100000000000",
    text: "内服・経口・週１回起床時",
    per_day: 1,
    prn: false,
    weekly: true,
};
pub static PRN_PAIN: Usage = Usage {
    code: "1050110000000000",
    text: "内服・経口・頓用・疼痛時",
    per_day: 1,
    prn: true,
    weekly: false,
};
pub static PRN_FEVER: Usage = Usage {
    code: "1050120000000000",
    text: "内服・経口・頓用・発熱時",
    per_day: 1,
    prn: true,
    weekly: false,
};
pub static PRN_CONST: Usage = Usage {
    code: "1050140000000000",
    text: "内服・経口・頓用・便秘時",
    per_day: 1,
    prn: true,
    weekly: false,
};
pub static EXT_PATCH: Usage = us("2B71000000000000", "外用・貼付・１日１回", 1);
pub static EXT_OINT: Usage = us("2B72000000000000", "外用・塗布・１日２回", 2);
pub static EXT_EYE: Usage = us("2E71000000000000", "外用・点眼・１日１回", 1);
pub static EXT_INH: Usage = us("2I72000000000000", "外用・吸入・１日２回", 2);

pub struct Route {
    pub code: &'static str,
    pub name: &'static str,
}

pub static PO: Route = Route {
    code: "PO",
    name: "口",
};
pub static AP: Route = Route {
    code: "AP",
    name: "外用",
};
pub static OP: Route = Route {
    code: "OP",
    name: "眼",
};
pub static IH: Route = Route {
    code: "IH",
    name: "吸入",
};

pub struct Drug {
    pub key: &'static str,
    pub hot9: &'static str,
    pub name: &'static str,
    /// YJ code when we have one ("" otherwise).
    pub yj: &'static str,
    pub form: Unit,
    pub unit: Unit,
    /// Amount per administration in `unit`.
    pub dose: f64,
    pub usage: &'static Usage,
    pub route: &'static Route,
    /// External drugs dispensed as a fixed amount (tube, bottle); RXE-3 is `""`.
    pub fixed_total: f64,
}

#[allow(clippy::too_many_arguments)]
const fn dr(
    key: &'static str,
    hot9: &'static str,
    name: &'static str,
    yj: &'static str,
    form: Unit,
    unit: Unit,
    dose: f64,
    usage: &'static Usage,
) -> Drug {
    Drug {
        key,
        hot9,
        name,
        yj,
        form,
        unit,
        dose,
        usage,
        route: &PO,
        fixed_total: 0.0,
    }
}

#[allow(clippy::too_many_arguments)]
const fn ext(
    key: &'static str,
    hot9: &'static str,
    name: &'static str,
    form: Unit,
    unit: Unit,
    usage: &'static Usage,
    route: &'static Route,
    fixed_total: f64,
) -> Drug {
    Drug {
        key,
        hot9,
        name,
        yj: "",
        form,
        unit,
        dose: 1.0,
        usage,
        route,
        fixed_total,
    }
}

pub static DRUGS: &[Drug] = &[
    // From the NHO sample storage.
    dr(
        "darzen",
        "108665201",
        "ダーゼン錠（５mg)",
        "",
        F_TAB,
        TAB,
        1.0,
        &TID,
    ),
    dr(
        "pansporin",
        "110626901",
        "パンスポリンＴ錠（１００mg)",
        "",
        F_TAB,
        TAB,
        2.0,
        &TID,
    ),
    dr(
        "aleviatin",
        "100607002",
        "アレピアチン１０倍散",
        "",
        F_PWD,
        MG,
        100.0,
        &BID,
    ),
    // Cardiovascular.
    dr(
        "amlodipine",
        "111890201",
        "アムロジピン錠５ｍｇ「サワイ」",
        "2171022F2069",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "nifedipine",
        "112260502",
        "ニフェジピンＣＲ錠２０ｍｇ「日医工」",
        "2171014G4075",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "olmesartan",
        "117530401",
        "オルメサルタン錠２０ｍｇ「ＤＳＥＰ」",
        "2149044F2033",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "candesartan",
        "114630202",
        "カンデサルタン錠８ｍｇ「あすか」",
        "2149040F3048",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "telmisartan",
        "116310702",
        "テルミサルタン錠４０ｍｇ「トーワ」",
        "2149042F2050",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "bisoprolol",
        "113408801",
        "ビソプロロールフマル酸塩錠２．５ｍｇ「サワイ」",
        "2123016F2056",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "carvedilol",
        "112850303",
        "カルベジロール錠２．５ｍｇ「サワイ」",
        "2149032F3058",
        F_TAB,
        TAB,
        1.0,
        &BID,
    ),
    dr(
        "furosemide",
        "100850501",
        "フロセミド錠２０ｍｇ「武田テバ」",
        "2139005F1033",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "spironolactone",
        "101234602",
        "スピロノラクトン錠２５ｍｇ「トーワ」",
        "2133001F1212",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "apixaban",
        "121970201",
        "エリキュース錠５ｍｇ",
        "3339004F2022",
        F_TAB,
        TAB,
        1.0,
        &BID,
    ),
    dr(
        "warfarin",
        "100938703",
        "ワーファリン錠１ｍｇ",
        "3332001F1017",
        F_TAB,
        TAB,
        2.0,
        &QD_M,
    ),
    dr(
        "aspirin",
        "108430801",
        "バイアスピリン錠１００ｍｇ",
        "3399007H1021",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "clopidogrel",
        "118250502",
        "クロピドグレル錠７５ｍｇ「サワイ」",
        "3399008F2054",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    // Metabolic.
    dr(
        "atorvastatin",
        "112490902",
        "アトルバスタチン錠１０ｍｇ「サワイ」",
        "2189015F2097",
        F_TAB,
        TAB,
        1.0,
        &QD_E,
    ),
    dr(
        "rosuvastatin",
        "119240301",
        "ロスバスタチン錠２．５ｍｇ「ＤＳＥＰ」",
        "2189017F1090",
        F_TAB,
        TAB,
        1.0,
        &QD_E,
    ),
    dr(
        "ezetimibe",
        "117160101",
        "エゼチミブ錠１０ｍｇ「サワイ」",
        "2189018F1035",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "metformin",
        "112950401",
        "メトホルミン塩酸塩錠２５０ｍｇＭＴ「トーワ」",
        "3962002F1141",
        F_TAB,
        TAB,
        2.0,
        &BID,
    ),
    dr(
        "sitagliptin",
        "118220801",
        "ジャヌビア錠５０ｍｇ",
        "3969010F1022",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "glimepiride",
        "114410202",
        "グリメピリド錠１ｍｇ「トーワ」",
        "3961008F1210",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "empagliflozin",
        "123060101",
        "ジャディアンス錠１０ｍｇ",
        "3969019F1020",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "voglibose",
        "110540302",
        "ボグリボース錠０．２ｍｇ「サワイ」",
        "3969003F1180",
        F_TAB,
        TAB,
        1.0,
        &TID_AC,
    ),
    dr(
        "febuxostat",
        "121370702",
        "フェブキソスタット錠２０ｍｇ「ＤＳＥＰ」",
        "3949003F2038",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "levothyroxine",
        "100810401",
        "チラーヂンＳ錠５０μｇ",
        "2431004F2026",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    // Gastrointestinal.
    dr(
        "lansoprazole",
        "114330502",
        "ランソプラゾールＯＤ錠１５ｍｇ「トーワ」",
        "2329023F2110",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "famotidine",
        "109020103",
        "ファモチジン錠２０ｍｇ「サワイ」",
        "2325003F2266",
        F_TAB,
        TAB,
        1.0,
        &BID,
    ),
    dr(
        "rebamipide",
        "112030803",
        "レバミピド錠１００ｍｇ「トーワ」",
        "2329021F1218",
        F_TAB,
        TAB,
        1.0,
        &TID,
    ),
    dr(
        "magnesium",
        "106221604",
        "酸化マグネシウム錠３３０ｍｇ「ケンエー」",
        "2344009F2064",
        F_TAB,
        TAB,
        1.0,
        &TID,
    ),
    dr(
        "sennoside",
        "109540602",
        "センノシド錠１２ｍｇ「サワイ」",
        "2354003F2474",
        F_TAB,
        TAB,
        2.0,
        &QD_HS,
    ),
    dr(
        "picosulfate",
        "106480405",
        "ピコスルファートナトリウム内用液０．７５％「日医工」",
        "",
        F_LQD,
        ML,
        10.0,
        &PRN_CONST,
    ),
    // Analgesics.
    dr(
        "loxoprofen",
        "108800302",
        "ロキソプロフェンナトリウム錠６０ｍｇ「サワイ」",
        "1149019F1560",
        F_TAB,
        TAB,
        1.0,
        &TID,
    ),
    dr(
        "loxoprofen_prn",
        "108800302",
        "ロキソプロフェンナトリウム錠６０ｍｇ「サワイ」",
        "1149019F1560",
        F_TAB,
        TAB,
        1.0,
        &PRN_PAIN,
    ),
    dr(
        "acetaminophen",
        "113290203",
        "カロナール錠２００",
        "1141007F1063",
        F_TAB,
        TAB,
        2.0,
        &TID,
    ),
    dr(
        "acetaminophen_prn",
        "113290203",
        "カロナール錠２００",
        "1141007F1063",
        F_TAB,
        TAB,
        2.0,
        &PRN_FEVER,
    ),
    dr(
        "celecoxib",
        "117660301",
        "セレコックス錠１００ｍｇ",
        "1149037F1020",
        F_TAB,
        TAB,
        1.0,
        &BID,
    ),
    // Neuro / psychiatric.
    dr(
        "zolpidem",
        "115730603",
        "ゾルピデム酒石酸塩錠５ｍｇ「サワイ」",
        "1129009F1092",
        F_TAB,
        TAB,
        1.0,
        &QD_HS,
    ),
    dr(
        "brotizolam",
        "107700402",
        "ブロチゾラム錠０．２５ｍｇ「サワイ」",
        "1124009F1136",
        F_TAB,
        TAB,
        1.0,
        &QD_HS,
    ),
    dr(
        "donepezil",
        "113480104",
        "ドネペジル塩酸塩ＯＤ錠５ｍｇ「サワイ」",
        "1190012F4094",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    // Bone / urology / respiratory / allergy.
    dr(
        "alendronate",
        "114640401",
        "アレンドロン酸錠３５ｍｇ「サワイ」",
        "3999018F2154",
        F_TAB,
        TAB,
        1.0,
        &WEEKLY,
    ),
    dr(
        "eldecalcitol",
        "121140101",
        "エディロールカプセル０．７５μｇ",
        "3112004M2020",
        F_CAP,
        CAP,
        1.0,
        &QD_M,
    ),
    dr(
        "tamsulosin",
        "113020702",
        "タムスロシン塩酸塩ＯＤ錠０．２ｍｇ「サワイ」",
        "2590008F2135",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "mirabegron",
        "121450101",
        "ベタニス錠５０ｍｇ",
        "2590014F2024",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "montelukast",
        "116890802",
        "モンテルカスト錠１０ｍｇ「サワイ」",
        "4490026F2110",
        F_TAB,
        TAB,
        1.0,
        &QD_HS,
    ),
    dr(
        "carbocisteine",
        "106510904",
        "カルボシステイン錠５００ｍｇ「サワイ」",
        "2233002F2140",
        F_TAB,
        TAB,
        1.0,
        &TID,
    ),
    dr(
        "ambroxol",
        "107530603",
        "アンブロキソール塩酸塩錠１５ｍｇ「サワイ」",
        "2239001F1440",
        F_TAB,
        TAB,
        1.0,
        &TID,
    ),
    dr(
        "dextromethorphan",
        "104030101",
        "メジコン錠１５ｍｇ",
        "2223001F1034",
        F_TAB,
        TAB,
        2.0,
        &TID,
    ),
    dr(
        "fexofenadine",
        "117010302",
        "フェキソフェナジン塩酸塩錠６０ｍｇ「サワイ」",
        "4490023F1195",
        F_TAB,
        TAB,
        1.0,
        &BID,
    ),
    dr(
        "prednisolone",
        "100560803",
        "プレドニゾロン錠５ｍｇ「トーワ」",
        "2456001F1310",
        F_TAB,
        TAB,
        2.0,
        &QD_M,
    ),
    dr(
        "ferrous",
        "109340501",
        "フェロミア錠５０ｍｇ",
        "3222012F1022",
        F_TAB,
        TAB,
        2.0,
        &QD_E,
    ),
    dr(
        "kakkonto",
        "101860701",
        "ツムラ葛根湯エキス顆粒（医療用）",
        "5200013D1138",
        F_GRA,
        G,
        2.5,
        &TID_BM,
    ),
    // Anti-infectives.
    dr(
        "levofloxacin",
        "118050202",
        "レボフロキサシン錠５００ｍｇ「ＤＳＥＰ」",
        "6241013F2047",
        F_TAB,
        TAB,
        1.0,
        &QD_M,
    ),
    dr(
        "cefcapene",
        "109330302",
        "セフカペンピボキシル塩酸塩錠１００ｍｇ「サワイ」",
        "6132016F2143",
        F_TAB,
        TAB,
        1.0,
        &TID,
    ),
    dr(
        "amoxicillin",
        "101570105",
        "サワシリンカプセル２５０",
        "6131001M2131",
        F_CAP,
        CAP,
        1.0,
        &TID,
    ),
    dr(
        "clarithromycin",
        "109880503",
        "クラリスロマイシン錠２００ｍｇ「サワイ」",
        "6149003F2259",
        F_TAB,
        TAB,
        1.0,
        &BID,
    ),
    dr(
        "oseltamivir",
        "113340101",
        "タミフルカプセル７５",
        "6250021M1027",
        F_CAP,
        CAP,
        1.0,
        &BID,
    ),
    dr(
        "valaciclovir",
        "113720402",
        "バラシクロビル錠５００ｍｇ「サワイ」",
        "6250019F1190",
        F_TAB,
        TAB,
        2.0,
        &TID,
    ),
    // Pediatric.
    dr(
        "carbocisteine_ds",
        "106511602",
        "カルボシステインＤＳ５０％「タカタ」",
        "2233002R2116",
        F_SYR,
        G,
        0.5,
        &TID,
    ),
    dr(
        "acetaminophen_gr",
        "113290501",
        "カロナール細粒２０％",
        "1141007C1075",
        F_PWD,
        G,
        0.5,
        &PRN_FEVER,
    ),
    dr(
        "clarithromycin_ds",
        "109880901",
        "クラリスロマイシンＤＳ小児用１０％「タカタ」",
        "6149003R1143",
        F_SYR,
        G,
        0.6,
        &BID,
    ),
    // External.
    ext(
        "loxoprofen_tape",
        "119130101",
        "ロキソニンテープ１００ｍｇ",
        F_TPE,
        MAI,
        &EXT_PATCH,
        &AP,
        0.0,
    ),
    ext(
        "heparinoid",
        "106960307",
        "ヒルドイドソフト軟膏０．３％",
        F_OIT,
        G,
        &EXT_OINT,
        &AP,
        50.0,
    ),
    ext(
        "betamethasone_oint",
        "100930801",
        "リンデロン－Ｖ軟膏０．１２％",
        F_OIT,
        G,
        &EXT_OINT,
        &AP,
        10.0,
    ),
    ext(
        "latanoprost",
        "112160102",
        "キサラタン点眼液０．００５％",
        F_EYE,
        HON,
        &EXT_EYE,
        &OP,
        1.0,
    ),
    ext(
        "adoair",
        "115610101",
        "アドエア２５０ディスカス２８吸入用",
        F_INH,
        KIT,
        &EXT_INH,
        &IH,
        1.0,
    ),
];

pub fn drug(key: &str) -> &'static Drug {
    DRUGS.iter().find(|d| d.key == key).unwrap_or(&DRUGS[0])
}

pub struct Injection {
    pub key: &'static str,
    pub hot9: &'static str,
    pub name: &'static str,
    pub unit: Unit,
    /// Volume in mL contributed to the bottle (0 for small additives).
    pub ml: u32,
}

const fn inj(key: &'static str, hot9: &'static str, name: &'static str, unit: Unit, ml: u32) -> Injection {
    Injection {
        key,
        hot9,
        name,
        unit,
        ml,
    }
}

pub static INJECTIONS: &[Injection] = &[
    // From the NHO sample storage.
    inj("solita_t3", "620007329", "ソリタ－Ｔ３号輸液５００ｍＬ", HON, 500),
    inj("adona", "620002559", "アドナ注（静脈用）50mg", AMP, 10),
    // Invented codes below.
    inj(
        "solita_t1_200",
        "620007311",
        "ソリタ－Ｔ１号輸液２００ｍＬ",
        HON,
        200,
    ),
    inj(
        "saline100",
        "620008901",
        "生理食塩液１００ｍＬ「オーツカ」",
        HON,
        100,
    ),
    inj(
        "saline500",
        "620008904",
        "生理食塩液５００ｍＬ「オーツカ」",
        HON,
        500,
    ),
    inj("lactec", "620004012", "ラクテック注５００ｍＬ", HON, 500),
    inj("veen_f", "620006541", "ヴィーンＦ輸液５００ｍＬ", HON, 500),
    inj("glucose5", "620002871", "大塚糖液５％２５０ｍＬ", HON, 250),
    inj(
        "cefazolin",
        "620009213",
        "セファゾリンナトリウム注射用１ｇ「日医工」",
        VIA,
        0,
    ),
    inj(
        "ceftriaxone",
        "620009375",
        "セフトリアキソンナトリウム静注用１ｇ「サワイ」",
        VIA,
        0,
    ),
    inj("unasyn", "620005402", "ユナシン－Ｓ静注用１．５ｇ", VIA, 0),
    inj(
        "cefmetazole",
        "620009148",
        "セフメタゾールナトリウム静注用１ｇ「日医工」",
        VIA,
        0,
    ),
    inj(
        "meropenem",
        "620009582",
        "メロペネム点滴静注用０．５ｇ「明治」",
        VIA,
        0,
    ),
    inj(
        "furosemide_inj",
        "620007805",
        "フロセミド注２０ｍｇ「トーワ」",
        AMP,
        2,
    ),
    inj(
        "omeprazole_inj",
        "620006120",
        "オメプラゾール注用２０ｍｇ「日医工」",
        VIA,
        0,
    ),
    inj("tranexamic", "620004551", "トランサミン注１０％", AMP, 10),
    inj(
        "metoclopramide",
        "620003101",
        "プリンペラン注射液１０ｍｇ",
        AMP,
        2,
    ),
    inj(
        "acetaminophen_iv",
        "620009811",
        "アセリオ静注液１０００ｍｇバッグ",
        BAG,
        100,
    ),
    inj(
        "edaravone",
        "620009923",
        "エダラボン点滴静注バッグ３０ｍｇ「ＤＳＥＰ」",
        BAG,
        100,
    ),
    inj(
        "methylpred",
        "620005217",
        "ソル・メドロール静注用４０ｍｇ",
        VIA,
        0,
    ),
    inj("vitamedin", "620003650", "ビタメジン静注用", VIA, 0),
    inj("famotidine_inj", "620002940", "ガスター注射液２０ｍｇ", AMP, 2),
    inj(
        "heparin",
        "620007950",
        "ヘパリンＮａ注５千単位／５ｍＬ「モチダ」",
        VIA,
        10,
    ),
    inj(
        "saline50_syringe",
        "620008899",
        "生理食塩液シリンジ５０ｍＬ",
        HON,
        40,
    ),
];

pub fn injection(key: &str) -> &'static Injection {
    INJECTIONS.iter().find(|d| d.key == key).unwrap_or(&INJECTIONS[0])
}

/// Format a dose without trailing zeros (`1`, `0.5`, `2.5`).
pub fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{}", r.round() as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::hl7::is_jis_encodable;
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalog_sane() {
        assert!(DRUGS.len() >= 40);
        let mut keys = HashSet::new();
        for d in DRUGS {
            assert!(keys.insert(d.key), "duplicate key {}", d.key);
            assert_eq!(d.hot9.len(), 9, "{}", d.key);
            assert!(d.hot9.bytes().all(|b| b.is_ascii_digit()));
            assert!(is_jis_encodable(d.name), "{}", d.name);
            assert!(is_jis_encodable(d.usage.text));
            assert_eq!(d.usage.code.len(), 16);
            assert!(d.yj.is_empty() || d.yj.len() == 12, "{}", d.key);
        }
        for i in INJECTIONS {
            assert_eq!(i.hot9.len(), 9);
            assert!(is_jis_encodable(i.name), "{}", i.name);
        }
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(2.5), "2.5");
    }
}
