//! Where a file sits in a storage and what its name says:
//! `root/ID[0:3]/ID[3:6]/ID/(YYYYMMDD|-)/DATATYPE/ID_DATE_TYPE_ORDERNO_WRITTEN_DEPT_FLAG`.

use crate::hl7::parse_timestamp;
use crate::model::Timestamp;

/// The seven fields of a standardized-storage file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileName {
    pub patient_id: String,
    /// `YYYYMMDD`, or `-` for date-less data.
    pub care_date: String,
    pub data_type: String,
    pub order_no: String,
    /// 発生日時 as written (17 digits by the spec; 15 are seen).
    pub written_raw: String,
    pub written_at: Option<Timestamp>,
    pub department: String,
    /// Condition flag: `1` current, `2` superseded, `0` deleted.
    pub flag: char,
    /// An extension some tools append (`.txt`).
    pub extension: String,
}

impl FileName {
    /// The key that versions of the same data share (ssmix2 §1.3).
    pub fn version_key(&self) -> (String, String, String, String) {
        (
            self.patient_id.clone(),
            self.care_date.clone(),
            self.data_type.clone(),
            self.order_no.clone(),
        )
    }
}

/// A cheap look at a name's shape (seven `_`-separated fields ending in a condition flag),
/// without parsing it: for the listing, which meets every file.
pub fn looks_like_message_name(name: &str) -> bool {
    name.split('_').count() == 7
        && name
            .rsplit('_')
            .next()
            .is_some_and(|flag| matches!(flag.as_bytes().first(), Some(b'0'..=b'2')))
}

/// Parses a file name. The error says which part is wrong.
pub fn parse_file_name(name: &str) -> Result<FileName, String> {
    let parts: Vec<&str> = name.split('_').collect();
    if parts.len() != 7 {
        return Err(format!(
            "file name {name:?} does not have the 7 SS-MIX2 fields (patient_date_type_order_time_department_flag); it has {}",
            parts.len()
        ));
    }
    let (flag_part, extension) = match parts[6].split_once('.') {
        Some((f, ext)) => (f, ext.to_string()),
        None => (parts[6], String::new()),
    };
    let mut flag_chars = flag_part.chars();
    let flag = match (flag_chars.next(), flag_chars.next()) {
        (Some(c @ ('0' | '1' | '2')), None) => c,
        _ => return Err(format!("condition flag {flag_part:?} is not 0, 1 or 2")),
    };
    let patient_id = parts[0].to_string();
    if patient_id.is_empty() {
        return Err("file name has an empty patient ID".into());
    }
    let care_date = parts[1].to_string();
    if care_date != "-" && !(care_date.len() == 8 && care_date.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("care date {care_date:?} is neither YYYYMMDD nor '-'"));
    }
    let written_raw = parts[4].to_string();
    let written_at = parse_timestamp(&written_raw).ok().flatten();
    Ok(FileName {
        patient_id,
        care_date,
        data_type: parts[2].to_string(),
        order_no: parts[3].to_string(),
        written_raw,
        written_at,
        department: parts[5].to_string(),
        flag,
        extension,
    })
}

/// What a disc file system did to a file's name, judged from the path alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mangled {
    /// Joliet keeps 64 characters: longer SS-MIX2 names lose their end, the condition flag.
    CutAt64,
    /// ISO 9660 level 1/2 (no Rock Ridge): `;1` version suffixes, `-` mapped to `_`.
    Iso9660,
}

/// Joliet's name limit, in UTF-16 units.
pub const JOLIET_MAX: usize = 64;

/// Whether the file's name (or its data type folder) was cut or mapped by a disc file system.
/// Cheap enough for the listing: one look at the name, a parse only for 64-character names.
pub fn mangled(path: &str) -> Option<Mangled> {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or("");
    let folder = parts.next().unwrap_or("");
    let date = parts.next().unwrap_or("");
    if iso_version_suffix(name) || iso_mapped_type_folder(date, folder) {
        return Some(Mangled::Iso9660);
    }
    (name.len() >= JOLIET_MAX
        && name.encode_utf16().count() == JOLIET_MAX
        && parse_file_name(name).is_err()
        && starts_like_a_message_name(name))
    .then_some(Mangled::CutAt64)
}

/// `NAME;1`: ISO 9660 file version.
fn iso_version_suffix(name: &str) -> bool {
    name.rsplit_once(';')
        .is_some_and(|(_, v)| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
}

/// `ADT_00` for `ADT-00` below a date folder: ISO 9660 allows no `-` (and Linux shows such
/// names in lower case, without the `;1`).
fn iso_mapped_type_folder(date: &str, folder: &str) -> bool {
    let b = folder.as_bytes();
    let dated = matches!(date, "-" | "_") || (date.len() == 8 && date.bytes().all(|c| c.is_ascii_digit()));
    dated
        && b.len() == 6
        && b[..3].iter().all(u8::is_ascii_alphabetic)
        && b[3] == b'_'
        && b[4..].iter().all(u8::is_ascii_digit)
}

/// Patient, then a care date (or `-`), then more fields: the start of a seven-field name.
fn starts_like_a_message_name(name: &str) -> bool {
    let mut f = name.split('_');
    let id = f.next().unwrap_or("");
    let date = f.next().unwrap_or("");
    !id.is_empty()
        && (date == "-" || (date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit())))
        && f.count() >= 2
}

/// What a path in a snapshot is, judged from the path alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// A standardized-storage message file. `folder_*` are what the folders say.
    Standard {
        folder_patient: String,
        folder_date: String,
        folder_type: String,
        name: Result<FileName, String>,
    },
    /// A standardized-storage style file name outside the standard folder layout.
    Loose { name: FileName },
    /// A file in an extended storage content folder (documents, vitals).
    Extended { patient_id: String, data_type: String },
    /// Transaction storage (`TR_*.DAT`) or the index database: not needed to view.
    Transaction,
    /// Anything else.
    Other,
}

/// Judges a `/`-separated path relative to a root. The storage root may be any number of
/// folders deep, so the layout is matched from the end.
pub fn place(path: &str) -> Placement {
    let c: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let n = c.len();
    let file = c.last().copied().unwrap_or("");
    if n >= 6 && is_patient_folder(c[n - 6], c[n - 5], c[n - 4]) && is_date_folder(c[n - 3]) {
        return Placement::Standard {
            folder_patient: c[n - 4].to_string(),
            folder_date: c[n - 3].to_string(),
            folder_type: c[n - 2].to_string(),
            name: parse_file_name(file),
        };
    }
    if n >= 7 && is_patient_folder(c[n - 7], c[n - 6], c[n - 5]) && is_date_folder(c[n - 4]) {
        return Placement::Extended {
            patient_id: c[n - 5].to_string(),
            data_type: c[n - 3].to_string(),
        };
    }
    let upper = file.to_ascii_uppercase();
    if upper.starts_with("TR_") && upper.ends_with(".DAT") {
        return Placement::Transaction;
    }
    match parse_file_name(file) {
        Ok(name) => Placement::Loose { name },
        Err(_) => Placement::Other,
    }
}

fn is_patient_folder(l1: &str, l2: &str, id: &str) -> bool {
    // IDs shorter than 6 characters have short (or, under 4, no meaningful) second level.
    let p1: String = id.chars().take(3).collect();
    let p2: String = id.chars().skip(3).take(3).collect();
    !id.is_empty() && l1 == p1 && l2 == p2
}

fn is_date_folder(s: &str) -> bool {
    s == "-" || (s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seven_fields() {
        let f = parse_file_name("9999013_20110701_OMP-01_000000011000185_20110701224603984_01_1").unwrap();
        assert_eq!(f.patient_id, "9999013");
        assert_eq!(f.care_date, "20110701");
        assert_eq!(f.data_type, "OMP-01");
        assert_eq!(f.order_no, "000000011000185");
        assert_eq!(f.written_at.unwrap().to_iso(), "2011-07-01T22:46:03.984");
        assert_eq!(f.department, "01");
        assert_eq!(f.flag, '1');
    }

    #[test]
    fn tolerates_what_real_storages_do() {
        let f = parse_file_name("9999013_-_ADT-00_999999999999999_200802031630123_-_2.txt").unwrap();
        assert_eq!(f.care_date, "-");
        assert_eq!(f.department, "-");
        assert_eq!(f.flag, '2');
        assert_eq!(f.extension, "txt");
        assert!(f.written_at.is_some());
        let f = parse_file_name("9999013_20111220_OMG-11_2011122000300_20111220224447339_24_1").unwrap();
        assert_eq!(f.order_no, "2011122000300");
    }

    #[test]
    fn says_what_is_wrong() {
        assert!(
            parse_file_name("README.txt")
                .unwrap_err()
                .contains("7 SS-MIX2 fields")
        );
        assert!(
            parse_file_name("1_2_3_4_5_6_1")
                .unwrap_err()
                .contains("care date")
        );
        assert!(
            parse_file_name("1_-_ADT-00_9_2011_-_5")
                .unwrap_err()
                .contains("condition flag")
        );
    }

    #[test]
    fn message_names_are_told_apart_by_shape() {
        assert!(looks_like_message_name(
            "9999013_-_ADT-00_999999999999999_20111220224447339_-_1"
        ));
        assert!(looks_like_message_name("1_2_3_4_5_6_0.txt"));
        for other in [
            "export.zip",
            "a_b_c_d_e_f_9",
            "Patient.000.ndjson",
            "1_2_3_4_5_6_7_1",
        ] {
            assert!(!looks_like_message_name(other), "{other}");
        }
    }

    #[test]
    fn names_cut_or_mapped_by_disc_file_systems_are_recognised() {
        let full = "0000000006_20261117_OMP-01_000000000000006_20261117103000000_01_1";
        assert_eq!(full.len(), 65);
        assert_eq!(
            mangled(&format!("000/000/0000000006/20261117/OMP-01/{full}")),
            None
        );
        let cut = &full[..JOLIET_MAX];
        assert_eq!(
            mangled(&format!("000/000/0000000006/20261117/OMP-01/{cut}")),
            Some(Mangled::CutAt64)
        );
        // 64 characters that are not the start of a message name: not a sign.
        assert_eq!(mangled(&"x".repeat(64)), None);
        assert_eq!(
            mangled("000/000/0000000006/20261117/OMP_01/0000000;1"),
            Some(Mangled::Iso9660)
        );
        // As Linux shows an ISO 9660 disc without Rock Ridge: lower case, no version.
        assert_eq!(
            mangled("000/000/0000000006/20261117/omp_01/0000000006_20261117_omp_01_00"),
            Some(Mangled::Iso9660)
        );
        assert_eq!(mangled("000/000/0000000/_/ADT_00/X"), Some(Mangled::Iso9660));
        // A folder of that shape elsewhere is not a sign.
        assert_eq!(mangled("exports/obs_01/Observation.ndjson"), None);
        assert_eq!(mangled("README.TXT;1"), Some(Mangled::Iso9660));
        assert_eq!(mangled("a;b/README.TXT"), None);
        assert_eq!(mangled("README.txt"), None);
    }

    #[test]
    fn places_files_by_layout_from_the_end() {
        let p = place(
            "sampleData/999/901/9999013/-/ADT-00/9999013_-_ADT-00_999999999999999_20111220224447339_-_1",
        );
        match p {
            Placement::Standard {
                folder_patient,
                folder_date,
                folder_type,
                name,
            } => {
                assert_eq!(folder_patient, "9999013");
                assert_eq!(folder_date, "-");
                assert_eq!(folder_type, "ADT-00");
                assert!(name.is_ok());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            place(
                "ext/999/901/9999013/20160101/L-OBSERVATIONS^OBSERVATIONS^99ZL01/9999013_20160101_L-OBSERVATIONS^OBSERVATIONS^99ZL01_000000020160101_201601011500321_1/main_document.hl7"
            ),
            Placement::Extended {
                patient_id: "9999013".into(),
                data_type: "L-OBSERVATIONS^OBSERVATIONS^99ZL01".into()
            }
        );
        assert_eq!(
            place("2011/TR_20110701000000000_00001.DAT"),
            Placement::Transaction
        );
        assert_eq!(place("README.txt"), Placement::Other);
        assert!(matches!(
            place("loose/9999013_20110701_OMP-01_000000011000185_20110701224603984_01_1"),
            Placement::Loose { .. }
        ));
    }
}
