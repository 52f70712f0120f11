//! A bounded in-memory cache of fixed-size blocks of one read-only file, least recently used
//! evicted first. The packed index is read in place from the media (issue 15): a DVD pays
//! ~100 ms per seek, so tantivy's many small reads (term dictionary, postings, doc store) must
//! land on blocks already read. Blocks are shared (`Arc`), so a read inside one block is handed
//! out without a copy.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tantivy::directory::OwnedBytes;

/// Block size and memory cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheConfig {
    pub block_bytes: usize,
    pub cap_bytes: usize,
}

impl Default for CacheConfig {
    /// 1 MiB blocks, the manifest's check block: the media is read and hashed in those
    /// anyway, so a smaller block only makes more seeks for the same bytes (on a 2,000-patient
    /// pack, open + first chart + first record search + 20 charts: 40 blocks, 43 MB read at
    /// 1 MiB; 62 blocks, 59 MB at 256 KiB; 96 blocks, 77 MB at 64 KiB). At most 256 MiB: the
    /// term dictionaries and hot store blocks of a 50,000-patient year on a laptop with a few
    /// GB.
    fn default() -> Self {
        CacheConfig {
            block_bytes: 1 << 20,
            cap_bytes: 256 << 20,
        }
    }
}

/// What the cache did so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Blocks found in memory.
    pub hits: u64,
    /// Blocks read from the file.
    pub misses: u64,
    /// Bytes read from the file (the sum of the blocks read).
    pub bytes_read: u64,
}

struct Lru {
    tick: u64,
    blocks: HashMap<u64, (Arc<[u8]>, u64)>,
    /// Last use → block index: the first entry is the one to evict.
    by_use: BTreeMap<u64, u64>,
}

pub struct BlockCache {
    block: u64,
    cap_blocks: usize,
    lru: Mutex<Lru>,
    hits: AtomicU64,
    misses: AtomicU64,
    bytes_read: AtomicU64,
}

impl BlockCache {
    pub fn new(config: CacheConfig) -> BlockCache {
        // Tiny blocks would make the per-block bookkeeping dominate.
        let block = config.block_bytes.max(4096);
        BlockCache {
            block: block as u64,
            cap_blocks: (config.cap_bytes / block).max(1),
            lru: Mutex::new(Lru {
                tick: 0,
                blocks: HashMap::new(),
                by_use: BTreeMap::new(),
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            bytes_read: AtomicU64::new(0),
        }
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
        }
    }

    /// Blocks held now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lru.lock().map(|l| l.blocks.len()).unwrap_or(0)
    }

    /// Block `index`, read by `load(offset, len)` when not held. The lock is not held while
    /// reading (other threads go on with cached blocks); two threads missing the same block
    /// both read it, and one copy is kept. A failed read is not cached: it fails again.
    fn block(&self, index: u64, load: &dyn Fn(u64, u64) -> io::Result<Vec<u8>>) -> io::Result<Arc<[u8]>> {
        if let Some(b) = self.touch(index) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(b);
        }
        let bytes: Arc<[u8]> = load(index * self.block, self.block)?.into();
        self.misses.fetch_add(1, Ordering::Relaxed);
        self.bytes_read.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if let Ok(mut lru) = self.lru.lock() {
            lru.tick += 1;
            let tick = lru.tick;
            if let Some((_, old)) = lru.blocks.insert(index, (bytes.clone(), tick)) {
                lru.by_use.remove(&old);
            }
            lru.by_use.insert(tick, index);
            while lru.blocks.len() > self.cap_blocks {
                let Some((_, victim)) = lru.by_use.pop_first() else {
                    break;
                };
                lru.blocks.remove(&victim);
            }
        }
        Ok(bytes)
    }

    fn touch(&self, index: u64) -> Option<Arc<[u8]>> {
        let mut lru = self.lru.lock().ok()?;
        lru.tick += 1;
        let tick = lru.tick;
        let (bytes, used) = lru.blocks.get_mut(&index)?;
        let old = std::mem::replace(used, tick);
        let bytes = bytes.clone();
        lru.by_use.remove(&old);
        lru.by_use.insert(tick, index);
        Some(bytes)
    }

    /// Bytes `range` of the file, through the cache. `load(offset, len)` reads up to `len`
    /// bytes at `offset` (fewer only at the end of the file).
    pub fn read(
        &self,
        range: Range<u64>,
        load: &dyn Fn(u64, u64) -> io::Result<Vec<u8>>,
    ) -> io::Result<OwnedBytes> {
        if range.start >= range.end {
            return Ok(OwnedBytes::empty());
        }
        let first = range.start / self.block;
        let last = (range.end - 1) / self.block;
        let short = || {
            io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "bytes {}..{} are past the end of the file",
                    range.start, range.end
                ),
            )
        };
        if first == last {
            let b = self.block(first, load)?;
            let from = (range.start - first * self.block) as usize;
            let to = (range.end - first * self.block) as usize;
            if to > b.len() {
                return Err(short());
            }
            return Ok(OwnedBytes::new(b).slice(from..to));
        }
        let mut out = Vec::with_capacity((range.end - range.start) as usize);
        for i in first..=last {
            let b = self.block(i, load)?;
            let base = i * self.block;
            let from = range.start.saturating_sub(base) as usize;
            let to = (range.end - base).min(self.block) as usize;
            if to > b.len() {
                return Err(short());
            }
            out.extend_from_slice(&b[from..to]);
        }
        Ok(OwnedBytes::new(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn file() -> Vec<u8> {
        (0..10_000u32).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn reads_across_blocks_count_misses_and_evict_the_least_recent() {
        let data = file();
        let loads = AtomicUsize::new(0);
        let load = |at: u64, len: u64| {
            loads.fetch_add(1, Ordering::Relaxed);
            let end = (at + len).min(data.len() as u64);
            Ok(data[at as usize..end as usize].to_vec())
        };
        let cache = BlockCache::new(CacheConfig {
            block_bytes: 4096,
            cap_bytes: 2 * 4096,
        });
        let r = cache.read(4000..4200, &load).expect("read");
        assert_eq!(&r[..], &data[4000..4200]);
        assert_eq!(loads.load(Ordering::Relaxed), 2, "blocks 0 and 1");
        let r = cache.read(4100..4110, &load).expect("read");
        assert_eq!(&r[..], &data[4100..4110]);
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 1,
                misses: 2,
                bytes_read: 8192
            }
        );
        // Block 2 (the file's short tail) evicts block 0, the least recently used.
        let r = cache.read(9000..10_000, &load).expect("read");
        assert_eq!(&r[..], &data[9000..10_000]);
        assert_eq!(cache.len(), 2);
        cache.read(5000..5001, &load).expect("block 1 still held");
        assert_eq!(loads.load(Ordering::Relaxed), 3);
        cache.read(0..1, &load).expect("block 0 read again");
        assert_eq!(loads.load(Ordering::Relaxed), 4);
        let err = cache.read(9990..10_001, &load).expect_err("past the end");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn a_failed_read_is_not_cached() {
        let fail = AtomicUsize::new(1);
        let load = |_: u64, len: u64| {
            if fail.fetch_sub(1, Ordering::Relaxed) == 1 {
                Err(io::Error::new(io::ErrorKind::InvalidData, "改ざんの疑い"))
            } else {
                Ok(vec![7u8; len as usize])
            }
        };
        let cache = BlockCache::new(CacheConfig::default());
        assert!(cache.read(0..10, &load).is_err());
        assert_eq!(cache.len(), 0);
        assert_eq!(&cache.read(0..3, &load).expect("read")[..], &[7, 7, 7]);
    }
}
