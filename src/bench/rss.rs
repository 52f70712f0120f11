//! Peak resident memory of this process, where the OS tells it (Linux: VmHWM).

pub fn peak_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

pub fn peak_text() -> String {
    match peak_bytes() {
        Some(b) => format!("{:.0} MB", b as f64 / 1e6),
        None => "not available on this OS".to_string(),
    }
}
