//! Per-patient demographics, chronic conditions, allergies and vendor quirks.
//! Built from the patient's own PRNG stream, so it is independent of others.

use super::care::{CHRONIC, Chronic};
use super::dx::{ALLERGENS, Allergen, AllergyKind};
use super::hl7::to_hiragana;
use super::names::{AREAS, FAMILY, FEMALE, Given, KIN, MALE, TOWNS, zen};
use super::rng::{Rng, Stream};
use chrono::{Datelike, NaiveDate};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sex {
    M,
    F,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// Regular outpatient follow-up of chronic conditions.
    Chronic,
    /// Occasional visits for acute problems.
    Acute,
    Child,
    Maternity,
    /// Registered, but no activity inside the window.
    Dormant,
}

pub struct Kin {
    pub family: &'static str,
    pub family_kana: &'static str,
    pub given: &'static Given,
    pub rel: (&'static str, &'static str),
    pub phone: String,
}

/// How an allergy evolves inside the window (drives ADT-61 versions).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AllergyState {
    Stable,
    AddedLater,
    RemovedLater,
}

pub struct AllergyRec {
    pub allergen: &'static Allergen,
    pub severity: usize,
    pub reaction: &'static str,
    /// IAM-11 onset: YYYYMM or YYYYMMDD ("" if unknown).
    pub onset: String,
    /// IAM-12 free-text onset (childhood food allergies).
    pub onset_text: &'static str,
    pub state: AllergyState,
}

/// Deliberate vendor quirks in otherwise valid files.
#[derive(Default, Clone, Copy)]
pub struct Quirks {
    /// Kana name repetition written in hiragana.
    pub hiragana: bool,
    /// Lab results (OML-11) use LF instead of CR.
    pub lf_lab: bool,
    /// Outpatient visits (ADT-12) lack the final CR.
    pub no_final_cr: bool,
    /// Exam reports use a 15-digit 発生日時 in the file name.
    pub ts15_exam: bool,
    /// PID-3 without `^^^^PI` in inpatient ADT messages.
    pub bare_pid: bool,
}

pub struct Profile {
    pub idx: u32,
    pub id: String,
    pub sex: Sex,
    pub birth: NaiveDate,
    /// Age at the end date.
    pub age: i32,
    pub family: &'static str,
    pub given: &'static str,
    pub family_kana: String,
    pub given_kana: String,
    pub postcode: String,
    pub address: String,
    pub phone: String,
    pub kin: Option<Kin>,
    pub height: f64,
    pub weight: f64,
    /// ABO and Rh; None when never tested.
    pub blood: Option<(&'static str, bool)>,
    pub kind: Kind,
    pub chronic: Vec<&'static Chronic>,
    /// (JHSD0001 code^name, insurer number)
    pub insurance: (&'static str, String),
    pub allergies: Vec<AllergyRec>,
    pub quirks: Quirks,
}

/// Patient ID: 10 digits, offset so that real patients never collide with
/// the deliberately broken `000/000/…` junk patients.
pub fn patient_id(idx: u32) -> String {
    format!("{:010}", 10_001 + idx as u64)
}

fn age_years(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut a = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        a -= 1;
    }
    a
}

fn phone(rng: &mut Rng, area: &str) -> String {
    if rng.chance(0.45) {
        let pre = *rng.pick(&["090", "080", "070"]);
        return format!("{}-{:04}-{:04}", pre, rng.below(10_000), rng.below(10_000));
    }
    let local_len = 10 - area.len();
    let (a, b) = (local_len - 4, 4);
    let max_a = 10u64.pow(a as u32);
    let first = rng.int(max_a as i64 / 10 * 2, max_a as i64 - 1);
    format!("{}-{:0a$}-{:0b$}", area, first, rng.below(10_000), a = a, b = b)
}

fn weighted_family(rng: &mut Rng) -> (&'static str, &'static str) {
    let w: Vec<f64> = FAMILY.iter().map(|f| f.2 as f64).collect();
    let f = &FAMILY[rng.weighted(&w)];
    (f.0, f.1)
}

fn given_for(rng: &mut Rng, sex: Sex, birth_year: i32) -> &'static Given {
    let list = if sex == Sex::M { MALE } else { FEMALE };
    let old = birth_year < 1965;
    let pool: Vec<&Given> = list.iter().filter(|g| g.old == old).collect();
    if pool.is_empty() {
        rng.pick(list)
    } else {
        pool[rng.below(pool.len() as u64) as usize]
    }
}

fn draw_age(rng: &mut Rng) -> i32 {
    // Hospital population skews old.
    let bands = [
        (0, 14, 9.0),
        (15, 29, 5.0),
        (30, 49, 10.0),
        (50, 64, 16.0),
        (65, 79, 32.0),
        (80, 99, 28.0),
    ];
    let w: Vec<f64> = bands.iter().map(|b| b.2).collect();
    let (lo, hi, _) = bands[rng.weighted(&w)];
    rng.int(lo, hi) as i32
}

fn draw_allergies(rng: &mut Rng, age: i32, birth: NaiveDate, end: NaiveDate) -> Vec<AllergyRec> {
    if !rng.chance(0.3) {
        return Vec::new();
    }
    let n = 1 + rng.weighted(&[70.0, 22.0, 8.0]);
    let mut out: Vec<AllergyRec> = Vec::new();
    for _ in 0..n {
        let w: Vec<f64> = ALLERGENS
            .iter()
            .map(|a| {
                let w = a.weight as f64;
                match a.kind {
                    AllergyKind::Drug if age < 15 => w * 0.2,
                    AllergyKind::Food if age < 15 => w * 3.0,
                    AllergyKind::Drug if age >= 60 => w * 2.0,
                    _ => w,
                }
            })
            .collect();
        let allergen = &ALLERGENS[rng.weighted(&w)];
        if out.iter().any(|a| std::ptr::eq(a.allergen, allergen)) {
            continue;
        }
        let child_food = allergen.kind == AllergyKind::Food && rng.chance(0.3);
        let onset_year = birth.year() + rng.int(1, (age as i64).max(1)) as i32;
        let onset_year = onset_year.min(end.year() - 1).max(birth.year());
        let onset = match rng.below(3) {
            _ if child_food => String::new(),
            0 => format!("{onset_year:04}"),
            1 => format!("{:04}{:02}", onset_year, rng.int(1, 12)),
            _ => format!("{:04}{:02}{:02}", onset_year, rng.int(1, 12), rng.int(1, 28)),
        };
        // IAM-11 is a date: keep only YYYYMM / YYYYMMDD forms (pad bare years).
        let onset = if onset.len() == 4 {
            format!("{onset}01")
        } else {
            onset
        };
        let state = match rng.below(100) {
            0..=7 => AllergyState::AddedLater,
            8..=11 => AllergyState::RemovedLater,
            _ => AllergyState::Stable,
        };
        out.push(AllergyRec {
            allergen,
            severity: rng.weighted(&[5.0, 4.0, 1.0]),
            reaction: allergen.reactions[rng.below(allergen.reactions.len() as u64) as usize],
            onset,
            onset_text: if child_food {
                "小学校低学年の頃"
            } else {
                ""
            },
            state,
        });
    }
    out
}

pub fn build(idx: u32, seed: u64, end: NaiveDate) -> Profile {
    let mut rng = Rng::stream(seed, idx as u64, Stream::Profile);
    let age = draw_age(&mut rng);
    let sex = if age >= 80 {
        if rng.chance(0.62) { Sex::F } else { Sex::M }
    } else if rng.chance(0.5) {
        Sex::F
    } else {
        Sex::M
    };
    let birth = end - chrono::TimeDelta::days(age as i64 * 365 + age as i64 / 4 + rng.int(1, 364));
    let age = age_years(birth, end);
    let (family, family_kana) = weighted_family(&mut rng);
    let given = given_for(&mut rng, sex, birth.year());

    let area_w: Vec<f64> = AREAS.iter().map(|a| a.4 as f64).collect();
    let (pref, city, post, tel, _) = AREAS[rng.weighted(&area_w)];
    let postcode = format!("{}-{:04}", post, rng.below(10_000));
    let address = format!(
        "{}{}{}{}－{}－{}",
        pref,
        city,
        rng.pick(TOWNS),
        zen(rng.int(1, 6) as u32),
        zen(rng.int(1, 30) as u32),
        zen(rng.int(1, 20) as u32)
    );
    let phone_no = phone(&mut rng, tel);

    let kind = if age < 15 {
        Kind::Child
    } else if sex == Sex::F && (20..=42).contains(&age) && rng.chance(0.15) {
        Kind::Maternity
    } else if rng.chance(0.05) {
        Kind::Dormant
    } else {
        Kind::Acute
    };
    let mut chronic = Vec::new();
    if matches!(kind, Kind::Acute) {
        for c in CHRONIC {
            if (c.sex == 'M' && sex != Sex::M) || (c.sex == 'F' && sex != Sex::F) {
                continue;
            }
            let p = match age {
                0..=39 => c.prevalence.0,
                40..=64 => c.prevalence.1,
                _ => c.prevalence.2,
            };
            if rng.chance(p) {
                chronic.push(c);
            }
        }
    }
    let kind = if chronic.is_empty() { kind } else { Kind::Chronic };
    // Put conditions managed by the same department next to each other.
    chronic.sort_by_key(|c| c.dept);

    let kin = if age < 20 {
        Some(Kin {
            family,
            family_kana,
            given: given_for(&mut rng, Sex::F, 1985),
            rel: ("PAR", "親"),
            phone: phone(&mut rng, "090"),
        })
    } else if rng.chance(0.65) {
        let rel = if age >= 70 && rng.chance(0.5) {
            KIN[1]
        } else if age >= 50 {
            // Parents of older patients are rarely the contact person.
            *rng.pick(&[KIN[0], KIN[1], KIN[3]])
        } else {
            *rng.pick(KIN)
        };
        let other_sex = if sex == Sex::M { Sex::F } else { Sex::M };
        let (kf, kk) = if rel.0 == "CHD" && rng.chance(0.4) {
            weighted_family(&mut rng)
        } else {
            (family, family_kana)
        };
        Some(Kin {
            family: kf,
            family_kana: kk,
            given: given_for(
                &mut rng,
                other_sex,
                birth.year() + if rel.0 == "CHD" { 28 } else { 0 },
            ),
            rel,
            phone: phone(&mut rng, "090"),
        })
    } else {
        None
    };

    let (height, weight) = if age < 18 {
        let h = if age == 0 { 68.0 } else { 75.0 + 6.2 * age as f64 };
        let w = if age == 0 { 7.5 } else { 9.5 + 2.6 * age as f64 };
        (rng.normal(h, h * 0.04), rng.normal(w, w * 0.1))
    } else {
        let base = if sex == Sex::M { 171.0 } else { 158.0 } - (age as f64 - 40.0).max(0.0) * 0.12;
        let h = rng.normal(base, 6.0);
        let bmi = rng.normal(22.5, 3.2).clamp(15.0, 38.0);
        (h, bmi * (h / 100.0) * (h / 100.0))
    };
    let blood = if rng.chance(0.8) {
        let abo = ["A", "O", "B", "AB"][rng.weighted(&[40.0, 30.0, 20.0, 10.0])];
        Some((abo, rng.chance(0.005)))
    } else {
        None
    };
    let insurance = if age >= 75 {
        (
            "39^後期高齢者医療^JHSD0001",
            format!("3922{:04}", rng.below(10_000)),
        )
    } else if age >= 65 || rng.chance(0.3) {
        ("68^国民健康保険^JHSD0001", format!("22{:04}", rng.below(10_000)))
    } else if rng.chance(0.6) {
        (
            "01^全国健康保険協会管掌健康保険^JHSD0001",
            format!("0122{:04}", rng.below(10_000)),
        )
    } else {
        (
            "06^組合管掌健康保険^JHSD0001",
            format!("06{:06}", rng.below(1_000_000)),
        )
    };
    let allergies = draw_allergies(&mut rng, age, birth, end);

    let given_kana = given.kana.to_string();
    let mut quirks = Quirks {
        hiragana: rng.chance(0.006),
        lf_lab: rng.chance(0.02),
        no_final_cr: rng.chance(0.02),
        ts15_exam: rng.chance(0.03),
        bare_pid: rng.chance(0.03),
    };
    let (family_kana_s, given_kana_s) = if quirks.hiragana {
        match (to_hiragana(family_kana), to_hiragana(&given_kana)) {
            (Some(f), Some(g)) => (f, g),
            _ => {
                quirks.hiragana = false;
                (family_kana.to_string(), given_kana)
            }
        }
    } else {
        (family_kana.to_string(), given_kana)
    };

    Profile {
        idx,
        id: patient_id(idx),
        sex,
        birth,
        age,
        family,
        given: given.kanji,
        family_kana: family_kana_s,
        given_kana: given_kana_s,
        postcode,
        address,
        phone: phone_no,
        kin,
        height,
        weight,
        blood,
        kind,
        chronic,
        insurance,
        allergies,
        quirks,
    }
}

impl Profile {
    pub fn has(&self, dx: &str) -> bool {
        self.chronic.iter().any(|c| c.dx == dx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_plausible() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        let ps: Vec<Profile> = (0..500).map(|i| build(i, 42, end)).collect();
        let old = ps.iter().filter(|p| p.age >= 65).count();
        assert!(old > 200, "hospital should skew old: {old}");
        assert!(ps.iter().all(|p| p.birth < end && p.id.len() == 10));
        let allergic = ps.iter().filter(|p| !p.allergies.is_empty()).count();
        assert!((100..=200).contains(&allergic), "{allergic}");
        assert!(ps.iter().any(|p| p.kind == Kind::Chronic));
        assert!(ps.iter().any(|p| p.kind == Kind::Child));
        for p in &ps {
            let tel_digits = p.phone.chars().filter(|c| c.is_ascii_digit()).count();
            assert!(tel_digits == 10 || tel_digits == 11, "{}", p.phone);
        }
    }
}
