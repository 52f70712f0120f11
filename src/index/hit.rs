//! One line of a patient search result.

use crate::model::{Location, Sex, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PatientHit {
    pub id: String,
    /// `山田 太郎`, empty when unknown.
    pub name_kanji: String,
    /// `ヤマダ タロウ`, empty when unknown.
    pub name_kana: String,
    pub sex: Sex,
    pub birth_date: Option<Timestamp>,
    /// Ward, room and bed when admitted as of the data time.
    pub location: Option<Location>,
    pub admitted: Option<Timestamp>,
    /// The most recent visit or admission.
    pub last_visit: Option<Timestamp>,
    /// Another patient of the snapshot has the same full name in kanji or kana (同姓同名あり).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub same_name: bool,
    /// For free-text searches: what matched (`処方: ワーファリン錠1mg`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<String>,
}
