//! FHIR code system URIs for the HL7 v2 coding-system names the model carries (`HOT9`, `JC10`,
//! `I10` ...), in the JP Core URL form (fhir.md §2.2, the JP Core OID→URL map), which our
//! reader recognises as well as the OID form.

pub const JP_PATIENT_ID_SYSTEM: &str = crate::fhir::refs::JP_PATIENT_ID_SYSTEM;
pub const NAME_REPRESENTATION: &str = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

pub const HOT9: &str = "http://medis.or.jp/CodeSystem/master-HOT9";
pub const HOT13: &str = "http://medis.or.jp/CodeSystem/master-HOT13";
pub const HOT7: &str = "http://medis.or.jp/CodeSystem/master-HOT7";
pub const YJ: &str = "http://capstandard.jp/iyaku.info/CodeSystem/YJ-code";
pub const JLAC10: &str = "http://medis.or.jp/CodeSystem/master-JLAC10-17digits";
pub const MEDIS_DISEASE: &str = "http://medis.or.jp/CodeSystem/master-disease-keyNumber";
pub const ICD10: &str = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/ICD10-2013-full";
pub const JAMI_USAGE: &str = "http://jami.jp/CodeSystem/MedicationUsage";
pub const MERIT9_CATEGORY: &str = "http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationCategoryMERIT9_CS";
pub const RP_NUMBER: &str = "http://jpfhir.jp/fhir/core/mhlw/IdSystem/Medication-RPGroupNumber";
pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const UCUM: &str = "http://unitsofmeasure.org";
pub const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
pub const PARTICIPATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
pub const INTERPRETATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
pub const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
pub const CONDITION_VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
pub const CONDITION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/condition-category";
pub const ALLERGY_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
pub const ALLERGY_VERIFICATION: &str =
    "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
pub const IDENTIFIER_TYPE: &str = "http://terminology.hl7.org/CodeSystem/v2-0203";

/// HL7 v2 coding systems with no published FHIR URI (local `99xxx` tables, JAHIS and MML
/// tables) are kept under this base, so that the name survives and no real URI is claimed
/// (`.invalid` is reserved for exactly that).
pub const LOCAL_BASE: &str = "http://lifeboat.invalid/CodeSystem/";
/// Local identifier systems (order numbers, accession numbers) of the exporting hospital.
pub const LOCAL_ID_BASE: &str = "http://lifeboat.invalid/IdSystem/";

/// The FHIR system for a model code's system. `None` for an empty system; URIs (a FHIR
/// source) pass through unchanged.
pub fn uri(system: &str, code: &str) -> Option<String> {
    let s = system.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains("://") || s.starts_with("urn:") {
        return Some(s.to_string());
    }
    let upper = s.to_ascii_uppercase();
    let known = match upper.as_str() {
        "HOT9" => HOT9,
        "HOT13" => HOT13,
        "HOT7" => HOT7,
        // Plain `HOT`: the length tells which (7, 9 or 13 digits).
        "HOT" => match code.len() {
            7 => HOT7,
            13 => HOT13,
            _ => HOT9,
        },
        "YJ" => YJ,
        "JC10" | "JLAC10" => JLAC10,
        "LN" | "LOINC" => LOINC,
        "I10" | "ICD10" => ICD10,
        "MDCDX2" => MEDIS_DISEASE,
        "JAMISDP01" => JAMI_USAGE,
        "SCT" | "SNOMED" => SNOMED,
        _ => {
            // `HL70162` → the HL7 v2 table 0162 code system.
            if let Some(table) = upper.strip_prefix("HL7")
                && table.len() == 4
                && table.bytes().all(|b| b.is_ascii_digit())
            {
                return Some(format!("http://terminology.hl7.org/CodeSystem/v2-{table}"));
            }
            return Some(format!("{LOCAL_BASE}{s}"));
        }
    };
    Some(known.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_names_become_uris() {
        assert_eq!(uri("HOT9", "117010302").as_deref(), Some(HOT9));
        assert_eq!(uri("HOT", "1234567890123").as_deref(), Some(HOT13));
        assert_eq!(uri("JC10", "3A010000002327101").as_deref(), Some(JLAC10));
        assert_eq!(uri("I10", "E119").as_deref(), Some(ICD10));
        assert_eq!(
            uri("HL70162", "PO").as_deref(),
            Some("http://terminology.hl7.org/CodeSystem/v2-0162")
        );
        assert_eq!(
            uri("99XY1", "01").as_deref(),
            Some("http://lifeboat.invalid/CodeSystem/99XY1")
        );
        assert_eq!(uri("http://loinc.org", "x").as_deref(), Some(LOINC));
        assert_eq!(uri(" ", "x"), None);
    }
}
