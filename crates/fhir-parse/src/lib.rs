//! FHIR R4 parsing behind plain, non-generic functions.
//!
//! fhirbolt's serde deserializers are generic and huge: monomorphizing them costs minutes of
//! release build time in whichever crate calls them. They are instantiated here, once; the
//! application crate only calls these functions, so editing it never re-instantiates them.

pub use fhirbolt;
pub use fhirbolt::model::r4::Resource;

use fhirbolt::serde::{DeserializationConfig, DeserializationMode};

mod sanitize;
pub use sanitize::{MAX_REPORTED, Removed};

/// Lax: unknown fields are ignored and missing required fields padded, so that real-world
/// exports that bend the rules are still read (the reader reports what it could not map).
fn config() -> Option<DeserializationConfig> {
    Some(DeserializationConfig {
        mode: DeserializationMode::Lax,
    })
}

/// One resource as read, with what had to be left out to read it.
#[derive(Debug)]
pub struct Parsed {
    pub resource: Resource,
    /// Elements R4 does not define where they stood (Lax mode would ignore them); see
    /// `sanitize`.
    pub removed: Removed,
}

/// Parses one FHIR R4 resource (a Bundle included) from JSON bytes.
#[inline(never)]
pub fn parse_json(bytes: &[u8]) -> Result<Parsed, String> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let removed = sanitize::clean_json(&mut value);
    let resource = fhirbolt::json::from_json_value::<Resource>(value, config()).map_err(|e| e.to_string())?;
    Ok(Parsed { resource, removed })
}

/// Parses one FHIR R4 resource (a Bundle included) from XML bytes.
#[inline(never)]
pub fn parse_xml(bytes: &[u8]) -> Result<Parsed, String> {
    let mut element: sanitize::R4Element =
        fhirbolt::xml::from_slice(bytes, config()).map_err(|e| e.to_string())?;
    let removed = sanitize::clean(&mut element);
    let resource =
        fhirbolt::element::from_element::<{ fhirbolt::FhirReleases::R4 }, Resource>(element, config())
            .map_err(|e| e.to_string())?;
    Ok(Parsed { resource, removed })
}

/// Serializes a resource back to JSON, to keep resources we do not map viewable as source.
#[inline(never)]
pub fn to_json(resource: &Resource) -> Result<String, String> {
    fhirbolt::json::to_string(resource, None).map_err(|e| e.to_string())
}

/// The resource type name as FHIR spells it (`"Observation"`); `"Invalid"` for fhirbolt's
/// placeholder. fhirbolt has no such method; this match lists every R4 type.
pub fn resource_type(r: &Resource) -> &'static str {
    match r {
        Resource::Account(_) => "Account",
        Resource::ActivityDefinition(_) => "ActivityDefinition",
        Resource::AdverseEvent(_) => "AdverseEvent",
        Resource::AllergyIntolerance(_) => "AllergyIntolerance",
        Resource::Appointment(_) => "Appointment",
        Resource::AppointmentResponse(_) => "AppointmentResponse",
        Resource::AuditEvent(_) => "AuditEvent",
        Resource::Basic(_) => "Basic",
        Resource::Binary(_) => "Binary",
        Resource::BiologicallyDerivedProduct(_) => "BiologicallyDerivedProduct",
        Resource::BodyStructure(_) => "BodyStructure",
        Resource::Bundle(_) => "Bundle",
        Resource::CapabilityStatement(_) => "CapabilityStatement",
        Resource::CarePlan(_) => "CarePlan",
        Resource::CareTeam(_) => "CareTeam",
        Resource::CatalogEntry(_) => "CatalogEntry",
        Resource::ChargeItem(_) => "ChargeItem",
        Resource::ChargeItemDefinition(_) => "ChargeItemDefinition",
        Resource::Claim(_) => "Claim",
        Resource::ClaimResponse(_) => "ClaimResponse",
        Resource::ClinicalImpression(_) => "ClinicalImpression",
        Resource::CodeSystem(_) => "CodeSystem",
        Resource::Communication(_) => "Communication",
        Resource::CommunicationRequest(_) => "CommunicationRequest",
        Resource::CompartmentDefinition(_) => "CompartmentDefinition",
        Resource::Composition(_) => "Composition",
        Resource::ConceptMap(_) => "ConceptMap",
        Resource::Condition(_) => "Condition",
        Resource::Consent(_) => "Consent",
        Resource::Contract(_) => "Contract",
        Resource::Coverage(_) => "Coverage",
        Resource::CoverageEligibilityRequest(_) => "CoverageEligibilityRequest",
        Resource::CoverageEligibilityResponse(_) => "CoverageEligibilityResponse",
        Resource::DetectedIssue(_) => "DetectedIssue",
        Resource::Device(_) => "Device",
        Resource::DeviceDefinition(_) => "DeviceDefinition",
        Resource::DeviceMetric(_) => "DeviceMetric",
        Resource::DeviceRequest(_) => "DeviceRequest",
        Resource::DeviceUseStatement(_) => "DeviceUseStatement",
        Resource::DiagnosticReport(_) => "DiagnosticReport",
        Resource::DocumentManifest(_) => "DocumentManifest",
        Resource::DocumentReference(_) => "DocumentReference",
        Resource::EffectEvidenceSynthesis(_) => "EffectEvidenceSynthesis",
        Resource::Encounter(_) => "Encounter",
        Resource::Endpoint(_) => "Endpoint",
        Resource::EnrollmentRequest(_) => "EnrollmentRequest",
        Resource::EnrollmentResponse(_) => "EnrollmentResponse",
        Resource::EpisodeOfCare(_) => "EpisodeOfCare",
        Resource::EventDefinition(_) => "EventDefinition",
        Resource::Evidence(_) => "Evidence",
        Resource::EvidenceVariable(_) => "EvidenceVariable",
        Resource::ExampleScenario(_) => "ExampleScenario",
        Resource::ExplanationOfBenefit(_) => "ExplanationOfBenefit",
        Resource::FamilyMemberHistory(_) => "FamilyMemberHistory",
        Resource::Flag(_) => "Flag",
        Resource::Goal(_) => "Goal",
        Resource::GraphDefinition(_) => "GraphDefinition",
        Resource::Group(_) => "Group",
        Resource::GuidanceResponse(_) => "GuidanceResponse",
        Resource::HealthcareService(_) => "HealthcareService",
        Resource::ImagingStudy(_) => "ImagingStudy",
        Resource::Immunization(_) => "Immunization",
        Resource::ImmunizationEvaluation(_) => "ImmunizationEvaluation",
        Resource::ImmunizationRecommendation(_) => "ImmunizationRecommendation",
        Resource::ImplementationGuide(_) => "ImplementationGuide",
        Resource::InsurancePlan(_) => "InsurancePlan",
        Resource::Invoice(_) => "Invoice",
        Resource::Library(_) => "Library",
        Resource::Linkage(_) => "Linkage",
        Resource::List(_) => "List",
        Resource::Location(_) => "Location",
        Resource::Measure(_) => "Measure",
        Resource::MeasureReport(_) => "MeasureReport",
        Resource::Media(_) => "Media",
        Resource::Medication(_) => "Medication",
        Resource::MedicationAdministration(_) => "MedicationAdministration",
        Resource::MedicationDispense(_) => "MedicationDispense",
        Resource::MedicationKnowledge(_) => "MedicationKnowledge",
        Resource::MedicationRequest(_) => "MedicationRequest",
        Resource::MedicationStatement(_) => "MedicationStatement",
        Resource::MedicinalProduct(_) => "MedicinalProduct",
        Resource::MedicinalProductAuthorization(_) => "MedicinalProductAuthorization",
        Resource::MedicinalProductContraindication(_) => "MedicinalProductContraindication",
        Resource::MedicinalProductIndication(_) => "MedicinalProductIndication",
        Resource::MedicinalProductIngredient(_) => "MedicinalProductIngredient",
        Resource::MedicinalProductInteraction(_) => "MedicinalProductInteraction",
        Resource::MedicinalProductManufactured(_) => "MedicinalProductManufactured",
        Resource::MedicinalProductPackaged(_) => "MedicinalProductPackaged",
        Resource::MedicinalProductPharmaceutical(_) => "MedicinalProductPharmaceutical",
        Resource::MedicinalProductUndesirableEffect(_) => "MedicinalProductUndesirableEffect",
        Resource::MessageDefinition(_) => "MessageDefinition",
        Resource::MessageHeader(_) => "MessageHeader",
        Resource::MolecularSequence(_) => "MolecularSequence",
        Resource::NamingSystem(_) => "NamingSystem",
        Resource::NutritionOrder(_) => "NutritionOrder",
        Resource::Observation(_) => "Observation",
        Resource::ObservationDefinition(_) => "ObservationDefinition",
        Resource::OperationDefinition(_) => "OperationDefinition",
        Resource::OperationOutcome(_) => "OperationOutcome",
        Resource::Organization(_) => "Organization",
        Resource::OrganizationAffiliation(_) => "OrganizationAffiliation",
        Resource::Parameters(_) => "Parameters",
        Resource::Patient(_) => "Patient",
        Resource::PaymentNotice(_) => "PaymentNotice",
        Resource::PaymentReconciliation(_) => "PaymentReconciliation",
        Resource::Person(_) => "Person",
        Resource::PlanDefinition(_) => "PlanDefinition",
        Resource::Practitioner(_) => "Practitioner",
        Resource::PractitionerRole(_) => "PractitionerRole",
        Resource::Procedure(_) => "Procedure",
        Resource::Provenance(_) => "Provenance",
        Resource::Questionnaire(_) => "Questionnaire",
        Resource::QuestionnaireResponse(_) => "QuestionnaireResponse",
        Resource::RelatedPerson(_) => "RelatedPerson",
        Resource::RequestGroup(_) => "RequestGroup",
        Resource::ResearchDefinition(_) => "ResearchDefinition",
        Resource::ResearchElementDefinition(_) => "ResearchElementDefinition",
        Resource::ResearchStudy(_) => "ResearchStudy",
        Resource::ResearchSubject(_) => "ResearchSubject",
        Resource::RiskAssessment(_) => "RiskAssessment",
        Resource::RiskEvidenceSynthesis(_) => "RiskEvidenceSynthesis",
        Resource::Schedule(_) => "Schedule",
        Resource::SearchParameter(_) => "SearchParameter",
        Resource::ServiceRequest(_) => "ServiceRequest",
        Resource::Slot(_) => "Slot",
        Resource::Specimen(_) => "Specimen",
        Resource::SpecimenDefinition(_) => "SpecimenDefinition",
        Resource::StructureDefinition(_) => "StructureDefinition",
        Resource::StructureMap(_) => "StructureMap",
        Resource::Subscription(_) => "Subscription",
        Resource::Substance(_) => "Substance",
        Resource::SubstanceNucleicAcid(_) => "SubstanceNucleicAcid",
        Resource::SubstancePolymer(_) => "SubstancePolymer",
        Resource::SubstanceProtein(_) => "SubstanceProtein",
        Resource::SubstanceReferenceInformation(_) => "SubstanceReferenceInformation",
        Resource::SubstanceSourceMaterial(_) => "SubstanceSourceMaterial",
        Resource::SubstanceSpecification(_) => "SubstanceSpecification",
        Resource::SupplyDelivery(_) => "SupplyDelivery",
        Resource::SupplyRequest(_) => "SupplyRequest",
        Resource::Task(_) => "Task",
        Resource::TerminologyCapabilities(_) => "TerminologyCapabilities",
        Resource::TestReport(_) => "TestReport",
        Resource::TestScript(_) => "TestScript",
        Resource::ValueSet(_) => "ValueSet",
        Resource::VerificationResult(_) => "VerificationResult",
        Resource::VisionPrescription(_) => "VisionPrescription",
        Resource::Invalid => "Invalid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_digits_through_the_cleaning() {
        let p = parse_json(br#"{"resourceType":"Observation","status":"final","code":{"text":"K"},"valueQuantity":{"value":1.50,"x":[1]}}"#)
            .expect("parsed");
        assert_eq!(p.removed.paths, ["Observation.valueQuantity.x"]);
        assert!(to_json(&p.resource).expect("json").contains("1.50"));
    }

    #[test]
    fn removed_paths_are_capped_but_all_counted() {
        let keys: Vec<String> = (0..50).map(|i| format!(r#""k{i}":[1,2]"#)).collect();
        let body = format!(r#"{{"resourceType":"Patient",{}}}"#, keys.join(","));
        let p = parse_json(body.as_bytes()).expect("parsed");
        assert_eq!(p.removed.count, 50);
        assert_eq!(p.removed.paths.len(), MAX_REPORTED);
        assert_eq!(p.removed.paths[0], "Patient.k0");
    }

    #[test]
    fn primitive_extensions_and_choice_types_stay() {
        let body = br#"{"resourceType":"Patient","birthDate":"1950-01-02","_birthDate":{"extension":[{"url":"http://x","valueString":"s"}]},"deceasedBoolean":false,"contained":[{"resourceType":"Medication","code":{"text":"m"}}]}"#;
        let p = parse_json(body).expect("parsed");
        assert_eq!(p.removed, Removed::default());
        let back = to_json(&p.resource).expect("json");
        assert!(
            back.contains(r#""valueString":"s""#) && back.contains("deceasedBoolean"),
            "{back}"
        );
    }
}
