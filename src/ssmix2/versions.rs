//! Condition flags across files: which version of each order or record is current.
//! For one key (patient, care date, data type, order number) a storage keeps at most one `_1`
//! (current), any number of `_2` (history) and, after a deletion, only `_0` files.

use super::layout::{self, FileName, Placement};
use crate::model::RecordStatus;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub status: RecordStatus,
    /// Something about the versions of this key a person should know.
    pub note: Option<String>,
}

impl Version {
    /// For a file whose condition flag was lost with its name.
    pub fn lost() -> Self {
        Self {
            status: RecordStatus::Unknown,
            note: None,
        }
    }
}

/// Whether a file's condition flag was lost: its name is cut, or, on media that cut or mapped
/// names, it is an SS-MIX2 file whose name does not parse or that lost the storage layout
/// (every HL7 file outside the layout on such media). Files outside the layout elsewhere were
/// never versioned and stay current.
pub fn flag_lost(path: &str, placement: &Placement, mangled_media: bool) -> bool {
    match placement {
        Placement::Standard { name: Err(_), .. } => mangled_media || layout::mangled(path).is_some(),
        Placement::Other => mangled_media,
        // An extended-storage content folder carries the flag in its own name: cut, it is lost.
        Placement::Extended { .. } => {
            (mangled_media || layout::mangled(path).is_some())
                && super::extended::locate(path)
                    .is_none_or(|l| super::extended::parse_content_folder(l.content_folder).is_err())
        }
        _ => false,
    }
}

/// Where a file is stored (patient, date and type folders; for files outside the layout, what
/// their name says). Versions are renamed in place, so only files stored together compete.
pub type Slot<'a> = (&'a str, &'a str, &'a str);

/// Resolves the status of each named file; each item is (caller's index, storage slot, name).
pub fn resolve<'a>(
    names: impl IntoIterator<Item = (usize, Slot<'a>, &'a FileName)>,
) -> HashMap<usize, Version> {
    let mut groups: HashMap<(Slot<'a>, &str), Vec<(usize, &FileName)>> = HashMap::new();
    for (i, slot, n) in names {
        groups
            .entry((slot, n.order_no.as_str()))
            .or_default()
            .push((i, n));
    }
    let mut out = HashMap::new();
    for (_, mut files) in groups {
        // Oldest first by 発生日時 (as written: equal-length digit strings compare correctly,
        // the parsed time breaks ties between 15- and 17-digit forms).
        files.sort_by(|a, b| (a.1.written_at, &a.1.written_raw).cmp(&(b.1.written_at, &b.1.written_raw)));
        let current: Vec<usize> = files
            .iter()
            .filter(|(_, n)| n.flag == '1')
            .map(|(i, _)| *i)
            .collect();
        let has_deleted = files.iter().any(|(_, n)| n.flag == '0');
        let newest_current = current.last().copied();
        for (i, n) in &files {
            let v = match n.flag {
                '1' if Some(*i) == newest_current => Version {
                    status: RecordStatus::Current,
                    note: (current.len() > 1).then(|| {
                        format!(
                            "{} current versions (flag 1) of the same data; the newest is shown as current",
                            current.len()
                        )
                    }),
                },
                '1' => Version {
                    status: RecordStatus::Superseded,
                    note: Some(
                        "another file with flag 1 for the same data is newer; shown as superseded".into(),
                    ),
                },
                '2' => Version {
                    status: RecordStatus::Superseded,
                    note: (current.is_empty() && !has_deleted).then(|| {
                        "history version (flag 2) without any current version (flag 1) of the same data"
                            .to_string()
                    }),
                },
                _ => Version {
                    status: RecordStatus::Cancelled,
                    note: None,
                },
            };
            out.insert(*i, v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssmix2::layout::parse_file_name;

    fn names(list: &[&str]) -> Vec<FileName> {
        list.iter().map(|n| parse_file_name(n).unwrap()).collect()
    }

    fn slots(n: &[FileName]) -> Vec<(usize, Slot<'_>, &FileName)> {
        n.iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    i,
                    (f.patient_id.as_str(), f.care_date.as_str(), f.data_type.as_str()),
                    f,
                )
            })
            .collect()
    }

    #[test]
    fn current_history_and_deleted() {
        let n = names(&[
            "1234567_20110701_OMP-01_000000000000001_20110701100000000_01_2",
            "1234567_20110701_OMP-01_000000000000001_20110702100000000_01_1",
            "1234567_20110701_OMP-01_000000000000002_20110701100000000_01_0",
            "1234567_20110701_OMP-01_000000000000002_20110703100000000_01_0",
        ]);
        let v = resolve(slots(&n));
        assert_eq!(v[&0].status, RecordStatus::Superseded);
        assert_eq!(v[&1].status, RecordStatus::Current);
        assert_eq!(v[&2].status, RecordStatus::Cancelled);
        assert_eq!(v[&3].status, RecordStatus::Cancelled);
        assert!(v.values().all(|x| x.note.is_none()));
    }

    #[test]
    fn two_current_versions_keep_the_newest() {
        let n = names(&[
            "1234567_20110701_OMP-01_000000000000001_20110702100000000_01_1",
            "1234567_20110701_OMP-01_000000000000001_20110701100000000_01_1",
        ]);
        let v = resolve(slots(&n));
        assert_eq!(v[&0].status, RecordStatus::Current);
        assert_eq!(v[&1].status, RecordStatus::Superseded);
        assert!(v[&0].note.is_some());
    }

    #[test]
    fn files_in_other_folders_do_not_compete() {
        let n = names(&[
            "1234567_20110701_OMP-01_000000000000001_20110702100000000_01_1",
            "1234567_20110701_OMP-01_000000000000001_20110703100000000_01_1",
        ]);
        let items = vec![
            (0, ("1234567", "20110701", "OMP-01"), &n[0]),
            (1, ("0000001", "20000401", "ADT-31"), &n[1]),
        ];
        let v = resolve(items);
        assert_eq!(v[&0].status, RecordStatus::Current);
        assert_eq!(v[&1].status, RecordStatus::Current);
        assert!(v[&0].note.is_none());
    }

    #[test]
    fn flags_lost_with_the_name_are_unknown_never_current() {
        let dir = "000/000/0000000006/20261117/OMP-01/";
        let whole = format!("{dir}0000000006_20261117_OMP-01_000000000000006_20261117103000000_01_1");
        let cut: String = whole.chars().take(dir.len() + 64).collect();
        let place = layout::place;
        assert!(
            flag_lost(&cut, &place(&cut), false),
            "a cut name is lost on any media"
        );
        assert!(
            !flag_lost(&whole, &place(&whole), true),
            "a whole name keeps its flag"
        );
        // Another bad name keeps the old rule (read as current, with a warning) unless the
        // media is known to cut names.
        let odd = format!("{dir}0000000006_20261117_OMP-01.hl7");
        assert!(!flag_lost(&odd, &place(&odd), false));
        assert!(flag_lost(&odd, &place(&odd), true));
        // Files outside the layout were never versioned, except on such media.
        assert!(!flag_lost("export/a.hl7", &place("export/a.hl7"), false));
        assert!(flag_lost("EXPORT/A.HL7;1", &place("EXPORT/A.HL7;1"), true));
        assert_eq!(Version::lost().status, RecordStatus::Unknown);
    }

    #[test]
    fn orphan_history_is_noted() {
        let n = names(&["1234567_20110701_OMP-01_000000000000001_20110702100000000_01_2"]);
        let v = resolve(slots(&n));
        assert_eq!(v[&0].status, RecordStatus::Superseded);
        assert!(
            v[&0]
                .note
                .as_deref()
                .unwrap_or("")
                .contains("without any current")
        );
    }
}
