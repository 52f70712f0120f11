//! Small value types shared by every kind of record.

use serde::{Deserialize, Serialize};

/// A coded value as sent: code, display text, code system (`HOT9`, `JC10`, `I10`, `99XYZ`, a
/// FHIR system URL ...). Any part may be empty; the text is what a person reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub system: String,
}

impl Code {
    pub fn new(code: impl Into<String>, text: impl Into<String>, system: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            text: text.into(),
            system: system.into(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.code.is_empty() && self.text.is_empty()
    }

    /// What to show a person: the text, or the code when there is no text.
    pub fn display(&self) -> &str {
        if self.text.is_empty() {
            &self.code
        } else {
            &self.text
        }
    }
}

/// An amount as sent (`7.2`, `> 100`, `1+`) with its unit. `number` is filled only when the
/// value is a plain number, so that plots never invent values from text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
}

impl Quantity {
    pub fn new(value: impl Into<String>, unit: impl Into<String>) -> Self {
        let value = value.into();
        let number = parse_number(&value);
        Self {
            value,
            number,
            unit: unit.into(),
        }
    }

    /// `7.2 g/dL`, or just the value when there is no unit.
    pub fn display(&self) -> String {
        if self.unit.is_empty() {
            self.value.clone()
        } else {
            format!("{} {}", self.value, self.unit)
        }
    }
}

/// A plain decimal number (full-width digits allowed), nothing else.
pub fn parse_number(s: &str) -> Option<f64> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' | '−' => '-',
            '＋' => '+',
            c => c,
        })
        .collect();
    if ascii.is_empty()
        || !ascii
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return None;
    }
    ascii.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A doctor, nurse or other staff member as named by the source.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clinician {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl Clinician {
    pub fn display(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_only_from_plain_numbers() {
        assert_eq!(parse_number("7.2"), Some(7.2));
        assert_eq!(parse_number("-14"), Some(-14.0));
        assert_eq!(parse_number("１２．５"), Some(12.5));
        assert_eq!(parse_number("> 100"), None);
        assert_eq!(parse_number(" 2 +"), None);
        assert_eq!(parse_number("(-)"), None);
        assert_eq!(parse_number(""), None);
    }
}
