//! Where the census rows come from. The index gains a census query in a parallel change; until it
//! lands the census screen says so instead of guessing.

use super::census::CensusRow;
use crate::index::SnapshotIndex;

pub fn rows(_index: &SnapshotIndex) -> Result<Vec<CensusRow>, String> {
    Err("この版の索引には病棟一覧の機能がまだありません".into())
}
