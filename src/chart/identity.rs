//! One person, one chart: who the records say the patient is, and where they disagree.
//!
//! Records filed under one patient ID may name different people (a mix-up at registration, a
//! FHIR Patient merged by identifier that is someone else). Merging them silently would show
//! one person's allergies under another's name, so the disagreements are listed instead:
//!
//! - Claims come from the current patient masters (SS-MIX2 ADT-00, FHIR Patient) and from the
//!   PID of every other message that still has a current record. Superseded ADT-00 versions
//!   are not claims: a newer version is an update.
//! - A message written before the newest master was written does not count either: the master
//!   is the later word (a marriage changes the name in the master; older messages keep the old
//!   one). Without a master every message counts, because nothing tells an update from a mix-up.
//! - Names are compared after normalization (NFKC, katakana = hiragana, itaiji, no spaces);
//!   birth dates by day; sex when known. Empty values never conflict.
//!
//! Also here: 同姓同名, patients of one snapshot who share a full name (kanji or kana).

use crate::model::{Clinical, Patient, Record, RecordStatus, Sex, Timestamp};
use crate::report::{Problem, Severity};
use crate::search::normalize::normalize;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Source files listed per conflicting value, at most.
const MAX_FILES: usize = 3;

/// What the chart must say about the patient's identity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// Fields on which the patient's records disagree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<IdentityConflict>,
    /// Other patients of the snapshot with the same full name in kanji or in kana.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_name: Vec<String>,
}

impl Identity {
    pub fn is_empty(&self) -> bool {
        self.conflicts.is_empty() && self.same_name.is_empty()
    }
}

/// One field the records disagree on, with every value and where it was written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentityConflict {
    /// `name_kanji`, `name_kana`, `birth_date`, `sex`.
    pub field: String,
    /// `氏名（漢字）`, `氏名（カナ）`, `生年月日`, `性別`.
    pub label: String,
    pub values: Vec<ClaimedValue>,
}

impl IdentityConflict {
    /// `氏名（漢字）: 山田 太郎 / 山田 花子`.
    pub fn line(&self) -> String {
        let values: Vec<&str> = self.values.iter().map(|v| v.value.as_str()).collect();
        format!("{}: {}", self.label, values.join(" / "))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimedValue {
    /// As written (the first spelling in file order when spellings differ only in form).
    pub value: String,
    /// Source files that say it (a few).
    pub files: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Kanji,
    Kana,
    Birth,
    Sex,
}

impl Field {
    const ALL: [Field; 4] = [Field::Kanji, Field::Kana, Field::Birth, Field::Sex];

    fn key(self) -> &'static str {
        match self {
            Field::Kanji => "name_kanji",
            Field::Kana => "name_kana",
            Field::Birth => "birth_date",
            Field::Sex => "sex",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::Kanji => "氏名（漢字）",
            Field::Kana => "氏名（カナ）",
            Field::Birth => "生年月日",
            Field::Sex => "性別",
        }
    }

    /// Where the field is in the sources, for problem lines.
    fn place(self) -> &'static str {
        match self {
            Field::Kanji | Field::Kana => "PID-5 / Patient.name",
            Field::Birth => "PID-7 / Patient.birthDate",
            Field::Sex => "PID-8 / Patient.gender",
        }
    }
}

/// One value of one field as some source states it.
#[derive(Clone, Debug)]
struct Claim {
    master: bool,
    written_at: Option<Timestamp>,
    field: Field,
    /// Normalized, for comparing.
    key: String,
    shown: String,
    file: String,
}

/// Everything the sources say about one patient's identity, gathered record by record.
#[derive(Clone, Debug, Default)]
pub struct Claims {
    /// (field, master, key) → (newest written time, shown, files).
    seen: BTreeMap<(Field, bool, String), Seen>,
}

#[derive(Clone, Debug, Default)]
struct Seen {
    written_at: Option<Timestamp>,
    /// Known written time on every claim; an undated message always counts.
    undated: bool,
    shown: String,
    /// The newest few files that say it (undated first): the ones most likely to count.
    files: Vec<(bool, Option<Timestamp>, String)>,
}

impl Seen {
    fn note_file(&mut self, written_at: Option<Timestamp>, file: String) {
        let entry = (written_at.is_none(), written_at, file);
        if self.files.contains(&entry) {
            return;
        }
        self.files.push(entry);
        // Undated first, then newest, then by name.
        self.files
            .sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then_with(|| a.2.cmp(&b.2)));
        self.files.truncate(MAX_FILES);
    }
}

impl Claims {
    /// A current patient master (ADT-00, FHIR Patient). Other records teach nothing here.
    pub fn add_record(&mut self, r: &Record) {
        if r.status != RecordStatus::Current {
            return;
        }
        if let Clinical::Patient(p) = &r.data {
            let at = r.provenance.written_at.or(p.updated_at);
            self.add(true, at, &r.provenance.file, p);
        }
    }

    /// The PID of a message that is not a patient master.
    pub fn add_message(&mut self, file: &str, written_at: Option<Timestamp>, p: &Patient) {
        self.add(false, written_at, file, p);
    }

    fn add(&mut self, master: bool, written_at: Option<Timestamp>, file: &str, p: &Patient) {
        for c in claims_of(master, written_at, file, p) {
            let s = self.seen.entry((c.field, c.master, c.key)).or_default();
            if c.written_at.is_none() {
                s.undated = true;
            }
            s.written_at = s.written_at.max(c.written_at);
            if s.shown.is_empty() || c.shown < s.shown {
                s.shown = c.shown;
            }
            s.note_file(c.written_at, c.file);
        }
    }

    /// The fields on which the claims that count disagree (see the module docs).
    pub fn conflicts(&self) -> Vec<IdentityConflict> {
        let newest_master = self
            .seen
            .iter()
            .filter(|((_, master, _), _)| *master)
            .map(|(_, s)| s.written_at)
            .max()
            .flatten();
        let mut out = Vec::new();
        for field in Field::ALL {
            // key → (shown, files)
            let mut values: BTreeMap<&str, (String, BTreeSet<String>)> = BTreeMap::new();
            for ((f, master, key), s) in &self.seen {
                if *f != field {
                    continue;
                }
                let counts = |at: Option<Timestamp>| {
                    *master || at.is_none() || newest_master.is_none() || at >= newest_master
                };
                if !(s.undated || counts(s.written_at)) {
                    continue;
                }
                let v = values
                    .entry(key.as_str())
                    .or_insert_with(|| (s.shown.clone(), BTreeSet::new()));
                if s.shown < v.0 {
                    v.0 = s.shown.clone();
                }
                v.1.extend(
                    s.files
                        .iter()
                        .filter(|(_, at, _)| counts(*at))
                        .map(|(_, _, f)| f.clone()),
                );
            }
            if values.len() < 2 {
                continue;
            }
            out.push(IdentityConflict {
                field: field.key().to_string(),
                label: field.label().to_string(),
                values: values
                    .into_values()
                    .map(|(value, files)| ClaimedValue {
                        value,
                        files: files.into_iter().take(MAX_FILES).collect(),
                    })
                    .collect(),
            });
        }
        out
    }
}

fn claims_of(master: bool, written_at: Option<Timestamp>, file: &str, p: &Patient) -> Vec<Claim> {
    let mut out = Vec::new();
    let mut push = |field: Field, key: String, shown: String| {
        if !key.is_empty() {
            out.push(Claim {
                master,
                written_at,
                field,
                key,
                shown,
                file: file.to_string(),
            });
        }
    };
    if let Some(n) = &p.name_kanji {
        push(Field::Kanji, name_key(&n.full()), n.full());
    }
    if let Some(n) = &p.name_kana {
        push(Field::Kana, name_key(&n.full()), n.full());
    }
    if let Some(b) = p.birth_date {
        let day = b.date().format("%Y-%m-%d").to_string();
        push(Field::Birth, day.clone(), day);
    }
    if p.sex != Sex::Unknown {
        push(
            Field::Sex,
            p.sex.label_ja().to_string(),
            p.sex.label_ja().to_string(),
        );
    }
    out
}

/// A name as compared: normalized (NFKC, katakana folded to hiragana, itaiji) without spaces.
pub fn name_key(name: &str) -> String {
    normalize(name).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The error line of the ingest report for a patient whose records disagree.
pub fn conflict_problem(patient_id: &str, conflicts: &[IdentityConflict]) -> Option<Problem> {
    let first = conflicts.first()?;
    let file = first
        .values
        .iter()
        .find_map(|v| v.files.first().cloned())
        .unwrap_or_default();
    let field = Field::ALL
        .into_iter()
        .find(|f| f.key() == first.field)
        .unwrap_or(Field::Kanji);
    let what: Vec<String> = conflicts
        .iter()
        .map(|c| {
            let values: Vec<String> = c
                .values
                .iter()
                .map(|v| format!("{} ({})", v.value, v.files.join(", ")))
                .collect();
            format!("{}: {}", c.field, values.join(" / "))
        })
        .collect();
    Some(
        Problem::new(
            file,
            Severity::Error,
            format!(
                "patient {patient_id}: the records disagree on who the patient is ({}); not merged, shown as 患者情報の不一致",
                what.join("; ")
            ),
        )
        .at(field.place()),
    )
}

/// Namesakes listed per patient (the first by ID); that there are any is what the banner says.
pub const MAX_NAMESAKES: usize = 20;

/// 同姓同名: for each patient, the other patients whose full kanji or kana name is the same
/// after normalization. `people` gives (id, kanji, kana); empty names match nobody.
pub fn same_names<'a>(
    people: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> BTreeMap<String, Vec<String>> {
    let mut by_name: BTreeMap<(u8, String), BTreeSet<&'a str>> = BTreeMap::new();
    let mut ids = Vec::new();
    for (id, kanji, kana) in people {
        for (script, name) in [(0u8, kanji), (1u8, kana)] {
            let key = name_key(name);
            if !key.is_empty() {
                by_name.entry((script, key)).or_default().insert(id);
            }
        }
        ids.push(id);
    }
    let mut out: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for group in by_name.values().filter(|g| g.len() > 1) {
        for id in group {
            let others = out.entry(id.to_string()).or_default();
            // At most MAX_NAMESAKES each: listing every namesake to each of k namesakes costs
            // k² (8,000 Patients of one name would make 64 million entries).
            for o in group.iter().filter(|o| *o != id) {
                if others.len() >= MAX_NAMESAKES {
                    break;
                }
                others.insert(o);
            }
        }
    }
    out.into_iter()
        .map(|(id, others)| (id, others.into_iter().map(str::to_string).collect()))
        .collect()
}

/// Conflicts among the patient masters of one chart's own records (when the caller has no
/// snapshot-wide identity at hand, e.g. a chart built from records alone).
pub fn conflicts_in(records: &[Record]) -> Vec<IdentityConflict> {
    let mut claims = Claims::default();
    for r in records {
        claims.add_record(r);
    }
    claims.conflicts()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PersonName, Provenance};

    fn ts(s: &str) -> Option<Timestamp> {
        Timestamp::parse_iso(s)
    }

    fn person(kanji: &str, kana: &str, birth: &str, sex: Sex) -> Patient {
        let name = |s: &str| {
            let mut parts = s.splitn(2, ' ');
            Some(PersonName {
                family: parts.next().unwrap_or_default().to_string(),
                given: parts.next().unwrap_or_default().to_string(),
            })
        };
        Patient {
            id: "P1".into(),
            name_kanji: name(kanji),
            name_kana: name(kana),
            birth_date: ts(birth),
            sex,
            ..Patient::default()
        }
    }

    fn master(p: Patient, status: RecordStatus, file: &str, at: &str) -> Record {
        Record {
            patient_id: "P1".into(),
            status,
            provenance: Provenance {
                file: file.into(),
                written_at: ts(at),
                ..Provenance::default()
            },
            data: Clinical::Patient(p),
        }
    }

    #[test]
    fn masters_that_disagree_on_birth_date_are_listed_with_their_files() {
        let mut c = Claims::default();
        c.add_record(&master(
            person("山田 太郎", "ヤマダ タロウ", "1948-03-02", Sex::Male),
            RecordStatus::Current,
            "P1/-/00000/ADT-00_1",
            "2026-01-01T00:00",
        ));
        c.add_record(&master(
            person("山田 太郎", "やまだ たろう", "1948-03-20", Sex::Male),
            RecordStatus::Current,
            "fhir/Patient.ndjson",
            "2026-02-01T00:00",
        ));
        let conflicts = c.conflicts();
        // Kana in hiragana vs katakana is the same name; the birth dates differ.
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].field, "birth_date");
        assert_eq!(conflicts[0].line(), "生年月日: 1948-03-02 / 1948-03-20");
        assert_eq!(
            conflicts[0].values[1].files,
            vec!["fhir/Patient.ndjson".to_string()]
        );
        let problem = conflict_problem("P1", &conflicts).map(|p| (p.severity, p.path, p.place));
        assert_eq!(
            problem,
            Some((
                Severity::Error,
                "P1/-/00000/ADT-00_1".to_string(),
                "PID-7 / Patient.birthDate".to_string()
            ))
        );
    }

    #[test]
    fn a_superseded_master_and_older_messages_are_updates_not_conflicts() {
        let mut c = Claims::default();
        c.add_record(&master(
            person("佐藤 花子", "サトウ ハナコ", "1970-05-05", Sex::Female),
            RecordStatus::Superseded,
            "P1/-/00000/ADT-00_old",
            "2025-01-01T00:00",
        ));
        c.add_record(&master(
            person("鈴木 花子", "スズキ ハナコ", "1970-05-05", Sex::Female),
            RecordStatus::Current,
            "P1/-/00000/ADT-00_new",
            "2026-01-01T00:00",
        ));
        // A prescription written before the name change still says 佐藤.
        c.add_message(
            "P1/20250601/OMP-01_x",
            ts("2025-06-01T00:00"),
            &person("佐藤 花子", "サトウ ハナコ", "1970-05-05", Sex::Female),
        );
        assert_eq!(c.conflicts(), Vec::new());
        // One written after the master that names someone else is a conflict.
        c.add_message(
            "P1/20260301/OMP-01_y",
            ts("2026-03-01T00:00"),
            &person("佐藤 ﾊﾅｺ", "サトウ ハナコ", "1970-05-05", Sex::Male),
        );
        let conflicts = c.conflicts();
        let fields: Vec<&str> = conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["name_kanji", "name_kana", "sex"]);
        // Only the message that counts is named, not the older one with the same kana.
        assert_eq!(conflicts[1].line(), "氏名（カナ）: サトウ ハナコ / スズキ ハナコ");
        assert_eq!(
            conflicts[1].values[0].files,
            vec!["P1/20260301/OMP-01_y".to_string()]
        );
    }

    #[test]
    fn same_names_match_across_spacing_width_and_kana_script() {
        let groups = same_names([
            ("1", "山田 太郎", "ヤマダ タロウ"),
            ("2", "山田　太郎", "やまだ たろう"),
            ("3", "山田 次郎", "ﾔﾏﾀﾞ ﾀﾛｳ"),
            ("4", "", ""),
            ("5", "", ""),
        ]);
        assert_eq!(groups.get("1"), Some(&vec!["2".to_string(), "3".to_string()]));
        assert_eq!(groups.get("3"), Some(&vec!["1".to_string(), "2".to_string()]));
        assert_eq!(groups.get("4"), None);
    }
}
