//! Is this file FHIR, in which form, and is it R4? Decided by content, never by file name.

/// How a FHIR file is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON resource (a Bundle included).
    Json,
    /// Newline-delimited JSON: one resource per line (Bulk Data export).
    Ndjson,
    /// One XML resource in the `http://hl7.org/fhir` namespace.
    Xml,
}

/// What a file looks like, before it is parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sniff {
    Fhir(Format),
    /// JSON or NDJSON whose objects carry no `resourceType` (a Bulk Data `log.ndjson`, an IG
    /// `package.json`): not FHIR, skipped with a note.
    NonFhirJson(&'static str),
    /// Not JSON or FHIR XML at all: left to the other readers.
    Other,
}

pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// How many bytes are looked at to recognise XML.
const XML_HEAD: usize = 4096;

pub fn sniff(bytes: &[u8]) -> Sniff {
    let body = strip_bom(bytes);
    let Some(first) = body.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Sniff::Other;
    };
    match body[first] {
        b'{' => sniff_json(&body[first..]),
        b'<' => {
            let head = &body[first..body.len().min(first + XML_HEAD)];
            if contains(head, b"http://hl7.org/fhir\"") || contains(head, b"http://hl7.org/fhir'") {
                Sniff::Fhir(Format::Xml)
            } else {
                Sniff::Other
            }
        }
        _ => Sniff::Other,
    }
}

/// One JSON value, or several (NDJSON)? Only the first value is looked at closely.
fn sniff_json(body: &[u8]) -> Sniff {
    let mut stream = serde_json::Deserializer::from_slice(body).into_iter::<serde::de::IgnoredAny>();
    let first_ok = matches!(stream.next(), Some(Ok(_)));
    let offset = stream.byte_offset();
    let rest_empty = body[offset..].iter().all(u8::is_ascii_whitespace);
    if first_ok && rest_empty {
        return if has_top_level_resource_type(body) {
            Sniff::Fhir(Format::Json)
        } else {
            Sniff::NonFhirJson("a JSON file without resourceType: not FHIR")
        };
    }
    // Several values, or a broken one: look at the lines.
    let mut lines = body
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace));
    let Some(first_line) = lines.next() else {
        return Sniff::Other;
    };
    let multi = lines.next().is_some();
    if !multi {
        // One broken JSON document: still ours to report if it claims to be FHIR.
        return if contains(body, b"\"resourceType\"") {
            Sniff::Fhir(Format::Json)
        } else {
            Sniff::Other
        };
    }
    if has_top_level_resource_type(first_line) || contains(body, b"\"resourceType\"") {
        Sniff::Fhir(Format::Ndjson)
    } else {
        Sniff::NonFhirJson("NDJSON without resourceType (such as a Bulk Data log.ndjson): not FHIR")
    }
}

/// The top-level object has a `resourceType` key (checked by a small typed read).
pub fn has_top_level_resource_type(json: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "resourceType")]
        resource_type: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Head>(json).is_ok_and(|h| h.resource_type.is_some())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle, 0).is_some()
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// How many `<entry>` elements (any prefix-free spelling: `<entry>`, `<entry/>`,
/// `<entry attr>`) some XML has; a cheap scan, to refuse Bundles too large to parse whole.
pub fn xml_entries(body: &[u8]) -> usize {
    let key = b"<entry";
    let mut n = 0;
    let mut at = 0;
    while let Some(i) = find(body, key, at) {
        at = i + key.len();
        if body
            .get(at)
            .is_some_and(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
        {
            n += 1;
        }
    }
    n
}

/// Deepest element nesting of XML accepted. fhirbolt's XML reader recurses per level and has no
/// limit of its own (a hostile file overflows the stack); real FHIR documents stay far below.
pub const MAX_XML_DEPTH: usize = 100;

/// Whether XML elements nest deeper than `limit` (a cheap scan of `<`, `</`, `/>`; comments,
/// declarations and CDATA are skipped).
pub fn xml_too_deep(body: &[u8], limit: usize) -> bool {
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(lt) = find(body, b"<", i) {
        let rest = &body[lt + 1..];
        let close = |from: usize, end: &[u8]| find(body, end, from).map_or(body.len(), |e| e + end.len());
        if rest.starts_with(b"!--") {
            i = close(lt, b"-->");
        } else if rest.starts_with(b"![CDATA[") {
            i = close(lt, b"]]>");
        } else if rest.starts_with(b"?") || rest.starts_with(b"!") {
            i = close(lt, b">");
        } else if rest.starts_with(b"/") {
            depth = depth.saturating_sub(1);
            i = close(lt, b">");
        } else {
            let end = close(lt, b">");
            if !body[..end].ends_with(b"/>") {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            i = end;
        }
    }
    false
}

/// Every resource type named in the file (JSON `"resourceType": "X"`, XML root and
/// `<resource><X>` elements), in order. A cheap scan, used to spot other FHIR versions and to
/// count entries of files that cannot be parsed.
pub fn resource_types(body: &[u8], format: Format) -> Vec<String> {
    let mut out = Vec::new();
    each_resource_type(body, format, |t| {
        out.push(t.to_string());
        std::ops::ControlFlow::Continue(())
    });
    out
}

/// The first resource type named in some bytes (see [`resource_types`]).
pub fn first_resource_type(body: &[u8], format: Format) -> Option<String> {
    let mut first = None;
    each_resource_type(body, format, |t| {
        first = Some(t.to_string());
        std::ops::ControlFlow::Break(())
    });
    first
}

/// Visits every resource type named in the file, in order, without collecting them (a
/// Bundle of a million entries names a million).
pub fn each_resource_type(
    body: &[u8],
    format: Format,
    mut each: impl FnMut(&str) -> std::ops::ControlFlow<()>,
) {
    match format {
        Format::Json | Format::Ndjson => {
            let key = b"\"resourceType\"";
            let mut at = 0;
            while let Some(i) = find(body, key, at) {
                at = i + key.len();
                let rest = &body[at..];
                let mut j = 0;
                while j < rest.len() && (rest[j].is_ascii_whitespace() || rest[j] == b':') {
                    j += 1;
                }
                if rest.get(j) == Some(&b'"') {
                    let len = rest[j + 1..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                    let name = String::from_utf8_lossy(&rest[j + 1..j + 1 + len]);
                    if each(&name).is_break() {
                        return;
                    }
                }
            }
        }
        Format::Xml => {
            if let Some(root) = first_element(body, 0)
                && each(&root).is_break()
            {
                return;
            }
            let key = b"<resource>";
            let mut at = 0;
            while let Some(i) = find(body, key, at) {
                at = i + key.len();
                if let Some(name) = first_element(body, at)
                    && each(&name).is_break()
                {
                    return;
                }
            }
        }
    }
}

/// The name of the first element at or after `from`, skipping declarations and comments.
fn first_element(body: &[u8], from: usize) -> Option<String> {
    let mut at = from;
    loop {
        let i = find(body, b"<", at)?;
        let rest = &body[i + 1..];
        if rest.starts_with(b"!--") {
            at = find(body, b"-->", i)? + 3;
            continue;
        }
        if rest.starts_with(b"?") || rest.starts_with(b"!") {
            at = i + 1;
            continue;
        }
        let name: Vec<u8> = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .copied()
            .collect();
        return Some(String::from_utf8_lossy(&name).into_owned());
    }
}

/// Resource types that exist in other FHIR versions but not in R4, with the version they
/// give away.
const OTHER_VERSION_TYPES: &[(&str, &str)] = &[
    ("MedicationOrder", "DSTU2"),
    ("DiagnosticOrder", "DSTU2"),
    ("Order", "DSTU2"),
    ("OrderResponse", "DSTU2"),
    ("DeviceUseRequest", "DSTU2"),
    ("Conformance", "DSTU2"),
    ("ImagingObjectSelection", "DSTU2"),
    ("ProcedureRequest", "DSTU2 or STU3"),
    ("ReferralRequest", "DSTU2 or STU3"),
    ("BodySite", "DSTU2 or STU3"),
    ("DataElement", "DSTU2 or STU3"),
    ("EligibilityRequest", "DSTU2 or STU3"),
    ("EligibilityResponse", "DSTU2 or STU3"),
    ("ProcessRequest", "DSTU2 or STU3"),
    ("ProcessResponse", "DSTU2 or STU3"),
    ("ImagingManifest", "STU3"),
    ("ExpansionProfile", "STU3"),
    ("Sequence", "STU3"),
    ("ServiceDefinition", "STU3"),
    ("DeviceComponent", "STU3"),
    ("ActorDefinition", "R5"),
    ("ArtifactAssessment", "R5"),
    ("BiologicallyDerivedProductDispense", "R5"),
    ("ConditionDefinition", "R5"),
    ("DeviceAssociation", "R5"),
    ("DeviceDispense", "R5"),
    ("DeviceUsage", "R5"),
    ("EncounterHistory", "R5"),
    ("FormularyItem", "R5"),
    ("GenomicStudy", "R5"),
    ("ImagingSelection", "R5"),
    ("InventoryItem", "R5"),
    ("InventoryReport", "R5"),
    ("NutritionIntake", "R5"),
    ("Permission", "R5"),
    ("Requirements", "R5"),
    ("TestPlan", "R5"),
    ("Transport", "R5"),
    ("AdministrableProductDefinition", "R4B or R5"),
    ("Citation", "R4B or R5"),
    ("ClinicalUseDefinition", "R4B or R5"),
    ("EvidenceReport", "R4B or R5"),
    ("Ingredient", "R4B or R5"),
    ("ManufacturedItemDefinition", "R4B or R5"),
    ("MedicinalProductDefinition", "R4B or R5"),
    ("NutritionProduct", "R4B or R5"),
    ("PackagedProductDefinition", "R4B or R5"),
    ("RegulatedAuthorization", "R4B or R5"),
    ("SubscriptionStatus", "R4B or R5"),
    ("SubscriptionTopic", "R4B or R5"),
];

/// `fhirVersion` values (CapabilityStatement, StructureDefinition, package manifests) that
/// name another version.
fn version_from_number(v: &str) -> Option<&'static str> {
    let v = v.trim();
    if v.starts_with("1.0") || v.starts_with("0.") {
        Some("DSTU2")
    } else if v.starts_with("3.0") || v.starts_with("1.") {
        Some("STU3")
    } else if v.starts_with("4.3") || v.starts_with("4.2") || v.starts_with("4.1") {
        Some("R4B")
    } else if v.starts_with('5') || v.starts_with('6') {
        Some("R5")
    } else {
        None
    }
}

/// When the file is another FHIR version than R4: a message that says which, and why.
pub fn other_version(body: &[u8], types: &[String], format: Format) -> Option<String> {
    types
        .iter()
        .find_map(|t| other_version_type(t))
        .or_else(|| declared_other_version(body, format))
}

/// [`other_version`] without a list of types: the file's resource types are walked once.
pub fn other_version_in(body: &[u8], format: Format) -> Option<String> {
    let mut found = None;
    each_resource_type(body, format, |t| {
        found = other_version_type(t);
        if found.is_some() {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    });
    found.or_else(|| declared_other_version(body, format))
}

fn other_version_type(t: &str) -> Option<String> {
    let (_, version) = OTHER_VERSION_TYPES.iter().find(|(name, _)| *name == t)?;
    Some(format!(
        "this is FHIR {version}, not R4: resource type {t} does not exist in FHIR R4 (4.0.1); Lifeboat reads R4 only"
    ))
}

fn declared_other_version(body: &[u8], format: Format) -> Option<String> {
    let declared = match format {
        Format::Xml => value_after(body, b"<fhirVersion value=\""),
        Format::Json | Format::Ndjson => value_after(body, b"\"fhirVersion\""),
    };
    let v = declared?;
    let version = version_from_number(&v)?;
    Some(format!(
        "this is FHIR {version}, not R4: the file declares fhirVersion {v}; Lifeboat reads R4 (4.0.x) only"
    ))
}

/// The string value following a key (JSON `"key": "v"` or XML `<key value="v`).
fn value_after(body: &[u8], key: &[u8]) -> Option<String> {
    let i = find(body, key, 0)? + key.len();
    let rest = &body[i..];
    let start = if key.ends_with(b"\"") && !key.starts_with(b"\"") {
        0
    } else {
        rest.iter().position(|&b| b == b'"')? + 1
    };
    let v: Vec<u8> = rest[start..]
        .iter()
        .take_while(|&&b| b != b'"')
        .copied()
        .collect();
    Some(String::from_utf8_lossy(&v).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_told_apart() {
        assert_eq!(
            sniff(b"{\"resourceType\":\"Patient\"}"),
            Sniff::Fhir(Format::Json)
        );
        assert_eq!(
            sniff(b"{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\"}\n"),
            Sniff::Fhir(Format::Ndjson)
        );
        assert!(matches!(
            sniff(b"{\"name\":1}\n{\"name\":2}\n"),
            Sniff::NonFhirJson(_)
        ));
        assert!(matches!(sniff(b"{\"name\":\"pkg\"}"), Sniff::NonFhirJson(_)));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><Patient xmlns=\"http://hl7.org/fhir\"/>"),
            Sniff::Fhir(Format::Xml)
        );
        assert_eq!(sniff(b"MSH|^~\\&|"), Sniff::Other);
    }

    #[test]
    fn deep_xml_is_spotted() {
        let deep = format!("<a>{}{}</a>", "<b>".repeat(150), "</b>".repeat(150));
        assert!(xml_too_deep(deep.as_bytes(), MAX_XML_DEPTH));
        let flat = "<?xml version=\"1.0\"?><!-- <x><x><x> --><a><b/><c value=\"1\"/></a>";
        assert!(!xml_too_deep(flat.as_bytes(), 1));
    }

    #[test]
    fn other_versions_are_named() {
        let xml = b"<Bundle xmlns=\"http://hl7.org/fhir\"><entry><resource><MedicationOrder></MedicationOrder></resource></entry></Bundle>";
        let types = resource_types(xml, Format::Xml);
        assert_eq!(types, ["Bundle", "MedicationOrder"]);
        assert!(other_version(xml, &types, Format::Xml).unwrap().contains("DSTU2"));
        let json = b"{\"resourceType\":\"CapabilityStatement\",\"fhirVersion\":\"5.0.0\"}";
        let types = resource_types(json, Format::Json);
        assert!(other_version(json, &types, Format::Json).unwrap().contains("R5"));
    }
}
