//! End to end: the equivalences of the search box against an in-memory tantivy index.

use super::build::{
    PatientFields, RecordFields, birth_value, names_field_values, patient_query, record_text_query,
};
use super::query::QueryPlan;
use super::tokenizer::{JA_BIGRAM, JA_UNIGRAM, bigram_terms, register};
use chrono::NaiveDate;
use tantivy::collector::TopDocs;
use tantivy::query::{PhraseQuery, Query};
use tantivy::schema::{
    FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

struct Patients {
    index: Index,
    fields: PatientFields,
}

fn text_options(tokenizer: &str, positions: bool) -> TextOptions {
    let record = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// ID, kanji (family, given), kana (family, given), birth (y, m, d).
type PatientRow = (
    &'static str,
    (&'static str, &'static str),
    (&'static str, &'static str),
    (i32, u32, u32),
);

const PATIENTS: &[PatientRow] = &[
    ("0000012345", ("山田", "太郎"), ("ヤマダ", "タロウ"), (1948, 3, 2)),
    ("0000012346", ("山田", "花子"), ("ヤマダ", "ハナコ"), (1960, 5, 5)),
    (
        "0000020001",
        ("髙橋", "一郎"),
        ("タカハシ", "イチロウ"),
        (1955, 1, 1),
    ),
    ("0000020002", ("高橋", "次郎"), ("ﾀｶﾊｼ", "ｼﾞﾛｳ"), (1948, 7, 7)),
    ("0000030001", ("林", "修"), ("ハヤシ", "オサム"), (1970, 1, 1)),
    (
        "0000030002",
        ("小林", "一茶"),
        ("コバヤシ", "イッサ"),
        (1989, 1, 7),
    ),
    // The NHO testing tool's sample patient.
    ("9999013", ("患者", "太郎"), ("カンジャ", "タロウ"), (1948, 4, 5)),
    ("1948", ("田中", "一"), ("タナカ", "ハジメ"), (1990, 1, 1)),
    ("0000040001", ("渡邉", "平"), ("ワタナベ", "タイラ"), (1989, 1, 8)),
    ("0000040002", ("齋藤", "令"), ("サイトウ", "レイ"), (2019, 5, 1)),
];

fn patients() -> Patients {
    let mut sb = Schema::builder();
    let id = sb.add_text_field("id", STRING | STORED);
    let names = sb.add_text_field("names", text_options(JA_BIGRAM, true));
    let names_uni = sb.add_text_field("names_uni", text_options(JA_UNIGRAM, false));
    let birth = sb.add_i64_field("birth", INDEXED | FAST | STORED);
    let index = Index::create_in_ram(sb.build());
    register(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    for (pid, kanji, kana, (y, m, d)) in PATIENTS {
        let mut doc = TantivyDocument::default();
        doc.add_text(id, super::normalize_id(pid));
        for value in names_field_values(kanji.0, kanji.1)
            .into_iter()
            .chain(names_field_values(kana.0, kana.1))
        {
            doc.add_text(names, &value);
            doc.add_text(names_uni, &value);
        }
        doc.add_i64(birth, birth_value(date(*y, *m, *d)));
        writer.add_document(doc).unwrap();
    }
    writer.commit().unwrap();
    Patients {
        index,
        fields: PatientFields {
            id,
            names,
            names_uni,
            birth,
        },
    }
}

impl Patients {
    fn run(&self, query: &dyn Query) -> Vec<String> {
        let searcher = self.index.reader().unwrap().searcher();
        let hits = searcher
            .search(query, &TopDocs::with_limit(50).order_by_score())
            .unwrap();
        hits.into_iter()
            .map(|(_, addr)| {
                let doc: TantivyDocument = searcher.doc(addr).unwrap();
                let id = doc.get_first(self.fields.id).and_then(|v| v.as_str());
                id.unwrap_or_default().to_string()
            })
            .collect()
    }

    /// IDs in rank order.
    fn search(&self, text: &str) -> Vec<String> {
        self.run(patient_query(&QueryPlan::parse(text), &self.fields).as_ref())
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_name_in_any_script_and_order() {
    let p = patients();
    for q in [
        "山田 太郎",
        "やまだ たろう",
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "タロウ ヤマダ",
        "太郎　山田",
        "山田太郎",
        "ヤマダタロウ",
    ] {
        assert_eq!(p.search(q), ids(&["0000012345"]), "{q}");
    }
    assert_eq!(sorted(p.search("やまだ")), ids(&["0000012345", "0000012346"]));
}

#[test]
fn itaiji_fold_both_ways() {
    let p = patients();
    let both = ids(&["0000020001", "0000020002"]);
    for q in ["髙橋", "高橋", "たかはし", "ﾀｶﾊｼ"] {
        assert_eq!(sorted(p.search(q)), both, "{q}");
    }
    assert_eq!(p.search("渡辺"), ids(&["0000040001"]));
    assert_eq!(p.search("渡邊"), ids(&["0000040001"]));
    assert_eq!(p.search("斎藤"), ids(&["0000040002"]));
    assert_eq!(p.search("齊藤"), ids(&["0000040002"]));
}

#[test]
fn one_character_names_use_the_unigram_field() {
    let p = patients();
    // 林 alone ranks above 小林, which merely contains it.
    assert_eq!(p.search("林"), ids(&["0000030001", "0000030002"]));
    assert_eq!(p.search("小林"), ids(&["0000030002"]));
    assert_eq!(p.search("はやし"), ids(&["0000030001"]));
}

#[test]
fn the_nho_sample_patient() {
    let p = patients();
    for q in [
        "カンジャ",
        "かんじゃ",
        "ｶﾝｼﾞｬ",
        "患者",
        "9999013",
        "９９９９０１３",
        "患者 太郎",
        "タロウ カンジャ",
    ] {
        assert_eq!(p.search(q), ids(&["9999013"]), "{q}");
    }
    assert_eq!(p.search("99990"), ids(&["9999013"]));
}

#[test]
fn ids_exact_first_then_prefix() {
    let p = patients();
    let hits = p.search("0000012345");
    assert_eq!(hits, ids(&["0000012345"]));
    assert_eq!(sorted(p.search("00000123")), ids(&["0000012345", "0000012346"]));
    // 1948 is an ID and a birth year: the exact ID first, then the patients born in 1948.
    let hits = p.search("1948");
    assert_eq!(hits.first().map(String::as_str), Some("1948"));
    assert_eq!(
        sorted(hits[1..].to_vec()),
        ids(&["0000012345", "0000020002", "9999013"])
    );
}

#[test]
fn birth_dates_in_every_form() {
    let p = patients();
    for q in [
        "1948-03-02",
        "19480302",
        "1948/3/2",
        "1948.3.2",
        "S23.3.2",
        "昭和23年3月2日",
        "昭和 23年 3月 2日",
        "Ｓ２３．３．２",
    ] {
        assert_eq!(p.search(q), ids(&["0000012345"]), "{q}");
    }
    assert_eq!(p.search("やまだ 1948"), ids(&["0000012345"]));
    assert_eq!(p.search("1948 やまだ"), ids(&["0000012345"]));
    let taro_1948 = ids(&["0000012345", "9999013"]);
    assert_eq!(sorted(p.search("たろう S23")), taro_1948);
    assert_eq!(sorted(p.search("たろう 昭和23年")), taro_1948);
}

#[test]
fn era_boundaries() {
    let p = patients();
    assert_eq!(p.search("昭和64年1月7日"), ids(&["0000030002"]));
    assert_eq!(p.search("1989-01-07"), ids(&["0000030002"]));
    assert_eq!(p.search("平成元年1月8日"), ids(&["0000040001"]));
    assert_eq!(p.search("H元.1.8"), ids(&["0000040001"]));
    assert_eq!(p.search("令和元年5月1日"), ids(&["0000040002"]));
}

#[test]
fn invalid_input_finds_nothing_and_does_not_panic() {
    let p = patients();
    for q in [
        "",
        "   ",
        "!!!",
        "昭和65年1月1日",
        "平成31年5月1日",
        "1948-02-30",
        "ﾞﾞ",
        "\u{0}",
        "存在しない",
    ] {
        assert!(p.search(q).is_empty(), "{q:?}");
    }
    // One-character kana and long junk run without panicking.
    assert!(!p.search("た").is_empty());
    let _ = p.search(&"山田".repeat(500));
}

#[test]
fn bigram_positions_support_phrase_queries() {
    let p = patients();
    let terms: Vec<Term> = bigram_terms("山田太郎")
        .iter()
        .map(|t| Term::from_field_text(p.fields.names, t))
        .collect();
    assert_eq!(p.run(&PhraseQuery::new(terms)), ids(&["0000012345"]));
}

#[test]
fn free_text_over_records() {
    for with_unigram in [true, false] {
        let mut sb = Schema::builder();
        let pid = sb.add_text_field("pid", STRING | STORED);
        let text = sb.add_text_field("text", text_options(JA_BIGRAM, true));
        let text_uni = with_unigram.then(|| sb.add_text_field("text_uni", text_options(JA_UNIGRAM, false)));
        let index = Index::create_in_ram(sb.build());
        register(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (id, line) in [
            ("9999013", "ワーファリン錠1mg 1日1回 朝食後"),
            ("0000020001", "ﾜｰﾌｧﾘﾝ錠0.5mg"),
            ("0000012345", "2型糖尿病"),
            ("0000030001", "ＨｂＡ１ｃ 6.5%"),
            ("0000012346", "胃 内視鏡"),
        ] {
            let mut doc = TantivyDocument::default();
            doc.add_text(pid, id);
            doc.add_text(text, line);
            if let Some(f) = text_uni {
                doc.add_text(f, line);
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let fields = RecordFields { text, text_uni };
        let find = |q: &str| -> Vec<String> {
            let Some(query) = record_text_query(&QueryPlan::parse(q), &fields) else {
                return Vec::new();
            };
            let hits = searcher
                .search(query.as_ref(), &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            sorted(
                hits.into_iter()
                    .map(|(_, a)| {
                        let doc: TantivyDocument = searcher.doc(a).unwrap();
                        let v = doc.get_first(pid).and_then(|v| v.as_str());
                        v.unwrap_or_default().to_string()
                    })
                    .collect(),
            )
        };
        let warfarin = ids(&["0000020001", "9999013"]);
        assert_eq!(find("ワーファリン"), warfarin);
        assert_eq!(find("ﾜｰﾌｧﾘﾝ"), warfarin);
        assert_eq!(find("わーふぁりん 錠"), warfarin);
        assert_eq!(find("ワーファリン 朝食"), ids(&["9999013"]));
        assert_eq!(find("糖尿病"), ids(&["0000012345"]));
        assert_eq!(find("hba1c"), ids(&["0000030001"]));
        assert_eq!(find("HbA1c"), ids(&["0000030001"]));
        assert_eq!(find("糖"), ids(&["0000012345"]), "unigram field: {with_unigram}");
        assert_eq!(find("胃"), ids(&["0000012346"]), "unigram field: {with_unigram}");
        assert!(find("9999013").is_empty());
        assert!(find("アスピリン").is_empty());
    }
}

#[test]
fn romaji_finds_the_kana_name() {
    let p = patients();
    // Hepburn and kunrei, any case, given name and family name.
    assert_eq!(p.search("yamada tarou"), ids(&["0000012345"]));
    assert_eq!(
        p.search("Yamada Taro"),
        ids(&["0000012345"]),
        "passport romaji, no long vowel"
    );
    assert_eq!(sorted(p.search("takahashi")), ids(&["0000020001", "0000020002"]));
    assert_eq!(sorted(p.search("takahasi")), ids(&["0000020001", "0000020002"]));
    assert_eq!(p.search("watanabe"), ids(&["0000040001"]));
    assert_eq!(p.search("saitou rei"), ids(&["0000040002"]));
    assert_eq!(p.search("hayashi"), ids(&["0000030001"]));
    // Letters that are not romaji stay a plain text term: no kana, no false match.
    let plan = QueryPlan::parse("xq");
    assert_eq!(plan.parts[0].kana, None);
    assert_eq!(
        QueryPlan::parse("matsumoto").parts[0].kana.as_deref(),
        Some("まつもと")
    );
}
