//! The setting an order belongs to: every medication line says 入院 or 外来, and an outpatient
//! prescription still running after an admission is told apart from the inpatient orders.
//!
//! Rule, first match wins:
//! - an order category that says 持参 (brought from home) → 持参薬; 退院 → 退院時処方;
//! - sent as inpatient (ORC/PV1 patient class `I`, FHIR category inpatient, an inpatient
//!   encounter) → 入院;
//! - sent as outpatient, and the patient is admitted now and the order began before this stay
//!   → 外来処方（入院前） (a long outpatient supply overlapping the admission: the ward may be
//!   giving the same drug from its own order);
//! - sent as outpatient → 外来;
//! - not sent: the order's start lies inside a stay → 入院 (from the stay), else 入外不明.

use super::encounters::Stay;
use crate::model::{MedicationOrder, PatientClass, Timestamp};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSetting {
    Inpatient,
    /// Not sent; the order began inside a stay.
    InpatientByStay,
    Outpatient,
    /// An outpatient order that began before the stay the patient is in now.
    OutpatientBeforeAdmission,
    /// 持参薬: the patient's own supply, recorded on admission.
    BroughtIn,
    /// 退院時処方.
    Discharge,
    Unknown,
}

impl OrderSetting {
    pub fn label_ja(self) -> &'static str {
        match self {
            OrderSetting::Inpatient | OrderSetting::InpatientByStay => "入院",
            OrderSetting::Outpatient => "外来",
            OrderSetting::OutpatientBeforeAdmission => "外来処方（入院前）",
            OrderSetting::BroughtIn => "持参薬",
            OrderSetting::Discharge => "退院時処方",
            OrderSetting::Unknown => "入外不明",
        }
    }

    /// The same in a narrow table cell.
    pub fn short_ja(self) -> &'static str {
        match self {
            OrderSetting::OutpatientBeforeAdmission => "外来・入院前",
            OrderSetting::Discharge => "退院時",
            s => s.label_ja(),
        }
    }

    /// Orders of the ward's own (inpatient) treatment, as opposed to supplies from outside it.
    pub fn is_ward_order(self) -> bool {
        matches!(self, OrderSetting::Inpatient | OrderSetting::InpatientByStay)
    }
}

/// See the module text. `current` is the stay the patient is in at the data time; `stays` every
/// stay.
pub fn order_setting(
    m: &MedicationOrder,
    begin: Option<Timestamp>,
    current: Option<&Stay>,
    stays: &[Stay],
) -> OrderSetting {
    let says = |word: &str| {
        m.categories
            .iter()
            .any(|c| c.text.contains(word) || c.code.contains(word))
            || m.instructions.iter().any(|i| i.contains(word))
    };
    if says("持参") {
        return OrderSetting::BroughtIn;
    }
    if says("退院") {
        return OrderSetting::Discharge;
    }
    match m.setting {
        Some(PatientClass::Inpatient) => OrderSetting::Inpatient,
        Some(PatientClass::Outpatient) | Some(PatientClass::Emergency) => {
            let before_this_stay = current.is_some_and(|s| match (begin, s.since) {
                (Some(b), Some(since)) => b < since,
                _ => false,
            });
            if before_this_stay {
                OrderSetting::OutpatientBeforeAdmission
            } else {
                OrderSetting::Outpatient
            }
        }
        _ => match begin {
            Some(b) if stays.iter().any(|s| s.contains(b)) => OrderSetting::InpatientByStay,
            _ => OrderSetting::Unknown,
        },
    }
}
