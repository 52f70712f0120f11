//! What is logged: the operator, and one event per line.

use serde::{Deserialize, Serialize};

/// The roles the sign-in offers (the hospital's job titles, in Japanese as they are said).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    #[serde(rename = "医師")]
    Doctor,
    #[serde(rename = "看護師")]
    Nurse,
    #[serde(rename = "薬剤師")]
    Pharmacist,
    #[serde(rename = "診療放射線技師")]
    Radiographer,
    #[serde(rename = "事務")]
    Clerk,
    #[serde(rename = "その他")]
    Other,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Doctor,
        Role::Nurse,
        Role::Pharmacist,
        Role::Radiographer,
        Role::Clerk,
        Role::Other,
    ];

    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Doctor => "医師",
            Role::Nurse => "看護師",
            Role::Pharmacist => "薬剤師",
            Role::Radiographer => "診療放射線技師",
            Role::Clerk => "事務",
            Role::Other => "その他",
        }
    }

    /// From the Japanese label or an English word (`--role nurse`).
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL.into_iter().find(|r| {
            r.label_ja() == s
                || format!("{r:?}").eq_ignore_ascii_case(s)
                || (s == "doctor" && *r == Role::Doctor)
        })
    }
}

/// Who is using the viewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub name: String,
    pub staff_id: String,
    pub role: Role,
}

impl Operator {
    /// As shown in headers and printed footers: 「看護師 山田 花子 (N1234)」.
    pub fn label(&self) -> String {
        format!("{} {} ({})", self.role.label_ja(), self.name, self.staff_id)
    }
}

/// One logged event. Patient data beyond the ID never goes in the log: the log is evidence of
/// access, not a copy of the chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The viewer or a command started (`program`: viewer, show, print ...).
    Started {
        program: String,
    },
    /// The viewer closed.
    Exited,
    SignIn,
    SignOut,
    /// A snapshot or pack was opened.
    SnapshotOpened {
        source: String,
        /// SHA-256 of a pack's manifest; none for a plain snapshot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        manifest_sha256: Option<String>,
        /// 署名確認済み, 署名なし ... or 対象外 for a plain snapshot.
        signature: String,
        /// `drill` or `real` ([`crate::chart::mode`]); empty when not known (`show --direct`).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        mode: String,
    },
    Search {
        text: String,
    },
    ChartOpened {
        patient: String,
    },
    Printed {
        what: String,
        patients: Vec<String>,
        pages: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// The 8 hex digits on its pages (監査): the chain head when it was made.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        sheet: String,
    },
    Copied {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        patient: Option<String>,
        what: String,
    },
    Saved {
        what: String,
        file: String,
    },
    /// A verification warning shown (signature, tampered block, stale index).
    Warning {
        what: String,
    },
    /// The operator went on despite a warning.
    Override {
        what: String,
        reason: String,
    },
    Locked {
        minutes_idle: u32,
    },
    Unlocked {
        same_operator: bool,
    },
    /// The log was found with a torn last line (a power cut while writing): its bytes' hash.
    Recovery {
        torn_bytes: u64,
        torn_sha256: String,
    },
}

impl Event {
    /// The patient this event is about, when there is one.
    pub fn patients(&self) -> Vec<&str> {
        match self {
            Event::ChartOpened { patient } => vec![patient.as_str()],
            Event::Printed { patients, .. } => patients.iter().map(String::as_str).collect(),
            Event::Copied { patient: Some(p), .. } => vec![p.as_str()],
            _ => Vec::new(),
        }
    }

    /// The event's name as written (`chart_opened`).
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("event").and_then(|e| e.as_str()).map(str::to_string))
            .unwrap_or_default()
    }
}
