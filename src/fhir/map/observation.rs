//! Observation → lab result (JLAC10 or LOINC, reference range, interpretation, components) or
//! vital sign (category `vital-signs`, blood pressure as one reading).

use super::common::{coding, coding_in, concept, notes, opt, quantity, s, ts};
use super::{Ctx, Mapped, id_of, status_of, text_of};
use crate::model::{AbnormalFlag, Clinical, Code, LabResult, Record, Timestamp, Vital, VitalComponent};
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::{
    Observation, ObservationComponentValue, ObservationEffective, ObservationReferenceRange, ObservationValue,
};
use lifeboat_fhir_parse::fhirbolt::model::r4::types::CodeableConcept;

const JLAC10: &[&str] = &["JLAC10", "1.2.392.200119.4.504", "JLAC11"];
const LOINC: &[&str] = &["http://loinc.org"];

/// LOINC codes of the vital-signs profile, for Observations sent without a category.
const VITAL_LOINC: &[&str] = &[
    "85353-1", "9279-1", "8867-4", "2708-6", "59408-5", "8310-5", "8302-2", "9843-4", "29463-7", "39156-5",
    "85354-9", "8480-6", "8462-4", "8478-0",
];

/// A value as text, its number when it is a plain number, and its unit.
struct Value {
    text: String,
    number: Option<f64>,
    unit: String,
    kind: &'static str,
}

fn value_of(v: &ObservationValue) -> Value {
    let plain = |text: String, kind| Value {
        number: crate::model::parse_number(&text),
        text,
        unit: String::new(),
        kind,
    };
    match v {
        ObservationValue::Quantity(q) => {
            let q = quantity(q);
            Value {
                text: q.value,
                number: q.number,
                unit: q.unit,
                kind: "Quantity",
            }
        }
        ObservationValue::CodeableConcept(c) => plain(concept(c).display().to_string(), "CodeableConcept"),
        ObservationValue::String(x) => plain(x.value.clone().unwrap_or_default(), "string"),
        ObservationValue::Boolean(b) => plain(b.value.map(|b| b.to_string()).unwrap_or_default(), "boolean"),
        ObservationValue::Integer(i) => plain(i.value.map(|i| i.to_string()).unwrap_or_default(), "integer"),
        ObservationValue::Range(r) => {
            let lo = r.low.as_deref().map(quantity);
            let hi = r.high.as_deref().map(quantity);
            let unit = lo
                .as_ref()
                .or(hi.as_ref())
                .map(|q| q.unit.clone())
                .unwrap_or_default();
            Value {
                text: format!(
                    "{}-{}",
                    lo.map(|q| q.value).unwrap_or_default(),
                    hi.map(|q| q.value).unwrap_or_default()
                ),
                number: None,
                unit,
                kind: "Range",
            }
        }
        ObservationValue::Ratio(r) => Value {
            text: format!(
                "{}/{}",
                r.numerator
                    .as_deref()
                    .map(|q| quantity(q).display())
                    .unwrap_or_default(),
                r.denominator
                    .as_deref()
                    .map(|q| quantity(q).display())
                    .unwrap_or_default()
            ),
            number: None,
            unit: String::new(),
            kind: "Ratio",
        },
        ObservationValue::SampledData(d) => plain(s(&d.data), "SampledData"),
        ObservationValue::Time(t) => plain(t.value.clone().unwrap_or_default(), "time"),
        ObservationValue::DateTime(t) => plain(t.value.clone().unwrap_or_default(), "dateTime"),
        ObservationValue::Period(p) => plain(format!("{}〜{}", s(&p.start), s(&p.end)), "Period"),
        ObservationValue::Invalid => plain(String::new(), ""),
    }
}

/// Component values have the same shapes as Observation values.
fn component_value(v: &ObservationComponentValue) -> Value {
    let as_obs = match v {
        ObservationComponentValue::Quantity(x) => ObservationValue::Quantity(x.clone()),
        ObservationComponentValue::CodeableConcept(x) => ObservationValue::CodeableConcept(x.clone()),
        ObservationComponentValue::String(x) => ObservationValue::String(x.clone()),
        ObservationComponentValue::Boolean(x) => ObservationValue::Boolean(x.clone()),
        ObservationComponentValue::Integer(x) => ObservationValue::Integer(x.clone()),
        ObservationComponentValue::Range(x) => ObservationValue::Range(x.clone()),
        ObservationComponentValue::Ratio(x) => ObservationValue::Ratio(x.clone()),
        ObservationComponentValue::SampledData(x) => ObservationValue::SampledData(x.clone()),
        ObservationComponentValue::Time(x) => ObservationValue::Time(x.clone()),
        ObservationComponentValue::DateTime(x) => ObservationValue::DateTime(x.clone()),
        ObservationComponentValue::Period(x) => ObservationValue::Period(x.clone()),
        ObservationComponentValue::Invalid => ObservationValue::Invalid,
    };
    value_of(&as_obs)
}

/// The test code: JLAC10/11, then LOINC, then the first coding; a local code beside it.
fn test_code(c: &CodeableConcept) -> (Code, Option<Code>) {
    let text = concept(c).text;
    let standard = coding_in(c, JLAC10)
        .or_else(|| coding_in(c, LOINC))
        .or(c.coding.first());
    let mut main = standard.map(coding).unwrap_or_default();
    if !text.is_empty() {
        main.text = text;
    }
    let local = c.coding.iter().map(coding).find(|k| {
        k.system.contains("LocalCode")
            || (k.code != main.code && k.system != main.system && !k.system.contains("JLAC"))
    });
    (main, local)
}

fn flag(interp: &[CodeableConcept]) -> (Option<AbnormalFlag>, String) {
    let Some(code) = interp
        .iter()
        .flat_map(|c| c.coding.iter())
        .find_map(|k| opt(&k.code))
    else {
        return (None, String::new());
    };
    let f = match code.as_str() {
        "H" | "HU" | ">" => Some(AbnormalFlag::High),
        "L" | "LU" | "<" => Some(AbnormalFlag::Low),
        "HH" => Some(AbnormalFlag::CriticalHigh),
        "LL" => Some(AbnormalFlag::CriticalLow),
        "A" | "AA" | "POS" | "DET" => Some(AbnormalFlag::Abnormal),
        "N" | "NEG" | "ND" => Some(AbnormalFlag::Normal),
        _ => None,
    };
    (f, code)
}

/// `3.6-5.0`, `<85`, or the range text; numbers kept when plain.
fn range(ranges: &[ObservationReferenceRange]) -> (String, Option<f64>, Option<f64>) {
    let Some(r) = ranges.first() else {
        return (String::new(), None, None);
    };
    let lo = r.low.as_deref().map(quantity);
    let hi = r.high.as_deref().map(quantity);
    let text = match (&lo, &hi) {
        (Some(l), Some(h)) => format!("{}-{}", l.value, h.value),
        (Some(l), None) => format!(">={}", l.value),
        (None, Some(h)) => format!("<={}", h.value),
        (None, None) => s(&r.text),
    };
    (text, lo.and_then(|q| q.number), hi.and_then(|q| q.number))
}

fn effective(e: &Option<ObservationEffective>) -> Option<Timestamp> {
    match e {
        Some(ObservationEffective::DateTime(d)) => d.value.as_deref().and_then(crate::fhir::time::parse),
        Some(ObservationEffective::Period(p)) => ts(&p.start),
        Some(ObservationEffective::Instant(i)) => i.value.as_deref().and_then(crate::fhir::time::parse),
        _ => None,
    }
}

fn is_vital(o: &Observation) -> bool {
    let by_category = o
        .category
        .iter()
        .flat_map(|c| c.coding.iter())
        .any(|k| k.code.as_ref().and_then(|c| c.value.as_deref()) == Some("vital-signs"));
    by_category
        || coding_in(&o.code, LOINC)
            .and_then(|k| k.code.as_ref().and_then(|c| c.value.as_deref()))
            .is_some_and(|c| VITAL_LOINC.contains(&c))
}

pub fn map(o: &Observation, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(o.subject.as_deref(), &o.contained);
    let status = status_of(&text_of(&o.status));
    let id = id_of(&o.id);
    let record = |data: Clinical| {
        ctx.record(
            patient.clone(),
            "Observation",
            id.as_deref(),
            o.meta.as_deref(),
            status,
            data,
        )
    };
    let collected = effective(&o.effective);
    let absent = o
        .data_absent_reason
        .as_deref()
        .map(|c| format!("（{}）", concept(c).display()));

    if is_vital(o) {
        let (sign, _) = test_code(&o.code);
        let v = o.value.as_ref().map(value_of);
        let mut components: Vec<VitalComponent> = o
            .component
            .iter()
            .map(|c| {
                let v = c.value.as_ref().map(component_value);
                VitalComponent {
                    name: test_code(&c.code).0,
                    value: v.as_ref().map(|v| v.text.clone()).unwrap_or_default(),
                    number: v.as_ref().and_then(|v| v.number),
                    unit: v.map(|v| v.unit).unwrap_or_default(),
                }
            })
            .collect();
        // Blood pressure reads systolic/diastolic, whatever order the components came in.
        components.sort_by_key(|c| match c.name.code.as_str() {
            "8480-6" => 0,
            "8462-4" => 1,
            _ => 2,
        });
        let vital = Vital {
            sign,
            value: v.as_ref().map(|v| v.text.clone()).or(absent).unwrap_or_default(),
            number: v.as_ref().and_then(|v| v.number),
            unit: v.map(|v| v.unit).unwrap_or_default(),
            components,
            flag: flag(&o.interpretation).0,
            measured: collected,
        };
        return Mapped::one(record(Clinical::Vital(vital)), problems);
    }

    let (test, local) = test_code(&o.code);
    let specimen = o
        .specimen
        .as_deref()
        .and_then(|r| opt(&r.display))
        .map(|d| Code::new("", d, ""));
    let base = |test: Code, v: Option<Value>| {
        let mut l = LabResult::new(test, String::new());
        if let Some(v) = v {
            l.value = v.text;
            l.number = v.number;
            l.unit = v.unit;
            l.value_type = v.kind.to_string();
        }
        l.specimen = specimen.clone();
        l.collected = collected;
        l.reported = ts(&o.issued);
        l.result_status = text_of(&o.status);
        l
    };
    let mut records: Vec<Record> = Vec::new();
    if o.value.is_some() || o.component.is_empty() {
        let mut l = base(test.clone(), o.value.as_ref().map(value_of));
        if l.value.is_empty() {
            l.value = absent.clone().unwrap_or_else(|| {
                if o.has_member.is_empty() {
                    String::new()
                } else {
                    format!("（パネル: {}項目）", o.has_member.len())
                }
            });
        }
        l.local_test = local;
        let (range, lo, hi) = range(&o.reference_range);
        l.range = range;
        l.range_low = lo;
        l.range_high = hi;
        let (f, code) = flag(&o.interpretation);
        l.flag = f;
        l.flag_code = code;
        l.comments = notes(&o.note);
        records.push(record(Clinical::LabResult(l)));
    }
    for c in &o.component {
        let (ctest, clocal) = test_code(&c.code);
        let mut l = base(ctest, c.value.as_ref().map(component_value));
        if l.value.is_empty() {
            l.value = c
                .data_absent_reason
                .as_deref()
                .map(|d| format!("（{}）", concept(d).display()))
                .unwrap_or_default();
        }
        l.local_test = clocal;
        l.battery = Some(test.clone());
        l.sub_id = id.clone().unwrap_or_default();
        let (range, lo, hi) = range(&c.reference_range);
        l.range = range;
        l.range_low = lo;
        l.range_high = hi;
        let (f, code) = flag(&c.interpretation);
        l.flag = f;
        l.flag_code = code;
        records.push(record(Clinical::LabResult(l)));
    }
    Mapped {
        records,
        problems,
        interpreted: true,
    }
}
