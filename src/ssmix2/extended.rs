//! SS-MIX2 extended storage (拡張ストレージ): where a file sits and what its content folder says.
//! `root/ID[0:3]/ID[3:6]/ID/date/DATATYPE/CONTENT/file`, where the content folder is named
//! `ID_date_type_key_written_dept_flag`, or without the department as NHO's own vital samples
//! write it. The content folder carries the condition flag and the written time, so versions
//! are resolved exactly as for standard storage (ssmix2 §1.7).

use super::layout::FileName;
use crate::hl7::parse_timestamp;
use crate::model::Timestamp;
use crate::report::{Problem, Severity};

/// Vital signs (NHO-VITAL): ORU^R30 in `main_document.hl7`, key = date or date + hour.
pub const VITALS_TYPE: &str = "L-OBSERVATIONS^OBSERVATIONS^99ZL01";

/// The main file of a vitals content folder.
pub const MAIN_DOCUMENT: &str = "main_document.hl7";

/// The folders of an extended-storage path, from the end: date folder, content folder, file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Located<'a> {
    pub date_folder: &'a str,
    pub content_folder: &'a str,
    pub file: &'a str,
}

/// Splits an extended-storage path (as [`super::layout::place`] judged it) into its last folders.
pub fn locate(path: &str) -> Option<Located<'_>> {
    let c: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let n = c.len();
    (n >= 4).then(|| Located {
        date_folder: c[n - 4],
        content_folder: c[n - 2],
        file: c[n - 1],
    })
}

/// Whether this file is read as vital signs (the main document of a vitals content folder).
pub fn is_vitals_document(data_type: &str, path: &str) -> bool {
    data_type == VITALS_TYPE && locate(path).is_some_and(|l| l.file.eq_ignore_ascii_case(MAIN_DOCUMENT))
}

/// Parses a content folder name (7 fields, or 6 without the department). The data type may
/// itself hold `_` in other extended types, so the fields are taken from both ends.
pub fn parse_content_folder(name: &str) -> Result<FileName, String> {
    let parts: Vec<&str> = name.split('_').collect();
    let n = parts.len();
    if n < 6 {
        return Err(format!(
            "content folder {name:?} does not have the 6 or 7 SS-MIX2 fields (patient_date_type_key_time[_department]_flag); it has {n}"
        ));
    }
    let flag_part = parts[n - 1];
    let flag = match flag_part.as_bytes() {
        [c @ (b'0' | b'1' | b'2')] => char::from(*c),
        _ => return Err(format!("condition flag {flag_part:?} is not 0, 1 or 2")),
    };
    // Without a department the written time sits right before the flag. A time has at least
    // 12 digits; a department code is short (`01`, `-`), so the two forms cannot be confused.
    let is_time = |s: &str| s.len() >= 12 && s.bytes().all(|b| b.is_ascii_digit());
    let (written_raw, department, key, type_end) = if is_time(parts[n - 2]) {
        (parts[n - 2], "", parts[n - 3], n - 3)
    } else if n >= 7 {
        (parts[n - 3], parts[n - 2], parts[n - 4], n - 4)
    } else {
        return Err(format!(
            "content folder {name:?}: field {:?} before the flag is neither a written time nor, with 7 fields, a department",
            parts[n - 2]
        ));
    };
    if type_end < 3 {
        return Err(format!("content folder {name:?} has no data type"));
    }
    let patient_id = parts[0];
    if patient_id.is_empty() {
        return Err("content folder has an empty patient ID".into());
    }
    let care_date = parts[1];
    if care_date != "-" && !(care_date.len() == 8 && care_date.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("care date {care_date:?} is neither YYYYMMDD nor '-'"));
    }
    if !is_time(written_raw) {
        return Err(format!("written time {written_raw:?} is not a date and time"));
    }
    Ok(FileName {
        patient_id: patient_id.to_string(),
        care_date: care_date.to_string(),
        data_type: parts[2..type_end].join("_"),
        order_no: key.to_string(),
        written_raw: written_raw.to_string(),
        written_at: parse_timestamp(written_raw).ok().flatten(),
        department: department.to_string(),
        flag,
        extension: String::new(),
    })
}

/// Compares what the content folder says with the folders it sits in; returns its written
/// time. Disagreements are warnings: the folders decide where the file is filed.
pub fn check_folders(
    path: &str,
    patient_id: &str,
    data_type: &str,
    problems: &mut Vec<Problem>,
) -> Option<Timestamp> {
    let mut warn = |m: String| problems.push(Problem::new(path, Severity::Warning, m));
    let Some(l) = locate(path) else {
        warn("extended storage path without a content folder".into());
        return None;
    };
    match parse_content_folder(l.content_folder) {
        Ok(n) => {
            if n.patient_id != patient_id {
                warn(format!(
                    "content folder says patient {} but the file is in patient folder {patient_id}; filed under {patient_id}",
                    n.patient_id
                ));
            }
            if n.care_date != l.date_folder {
                warn(format!(
                    "content folder says care date {} but the file is in date folder {}",
                    n.care_date, l.date_folder
                ));
            }
            if n.data_type != data_type {
                warn(format!(
                    "content folder says data type {} but the file is in folder {data_type}",
                    n.data_type
                ));
            }
            n.written_at
        }
        Err(e) => {
            warn(format!("{e}; version (condition flag) unknown, read as current"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_content_folder_forms() {
        let six = parse_content_folder(
            "0123456789_20160101_L-OBSERVATIONS^OBSERVATIONS^99ZL01_000000020160101_201601011500321_1",
        )
        .unwrap();
        assert_eq!(six.patient_id, "0123456789");
        assert_eq!(six.care_date, "20160101");
        assert_eq!(six.data_type, VITALS_TYPE);
        assert_eq!(six.order_no, "000000020160101");
        assert_eq!(six.written_raw, "201601011500321");
        assert_eq!(six.written_at.unwrap().to_iso(), "2016-01-01T15:00:32.100");
        assert_eq!(six.department, "");
        assert_eq!(six.flag, '1');
        let seven = parse_content_folder(
            "0123456789_20160101_L-OBSERVATIONS^OBSERVATIONS^99ZL01_000002016010115_20160101150032100_01_2",
        )
        .unwrap();
        assert_eq!(seven.order_no, "000002016010115");
        assert_eq!(seven.department, "01");
        assert_eq!(seven.flag, '2');
        assert_eq!(seven.data_type, VITALS_TYPE);
    }

    #[test]
    fn says_what_is_wrong() {
        assert!(parse_content_folder("a_b_c").unwrap_err().contains("6 or 7"));
        assert!(
            parse_content_folder("1_20160101_T_K_201601011500_01_9")
                .unwrap_err()
                .contains("condition flag")
        );
        assert!(
            parse_content_folder("1_2016_T_K_201601011500_01_1")
                .unwrap_err()
                .contains("care date")
        );
        assert!(
            parse_content_folder("1_20160101_T_K_x_1")
                .unwrap_err()
                .contains("written time")
        );
    }

    #[test]
    fn locates_the_folders_and_the_main_document() {
        let p = "ext/012/345/0123456789/20160101/L-OBSERVATIONS^OBSERVATIONS^99ZL01/0123456789_20160101_L-OBSERVATIONS^OBSERVATIONS^99ZL01_000000020160101_201601011500321_1/main_document.hl7";
        let l = locate(p).unwrap();
        assert_eq!(l.date_folder, "20160101");
        assert!(l.content_folder.ends_with("_1"));
        assert!(is_vitals_document(VITALS_TYPE, p));
        assert!(!is_vitals_document(
            VITALS_TYPE,
            &p.replace("main_document.hl7", "image.png")
        ));
        assert!(!is_vitals_document("^経過記録^^11506-3^経過記録^LN", p));
    }
}
