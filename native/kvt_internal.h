// kvt_internal.h: engine internals shared by the KVT C++ sources. Not part of
// the C interface (see kvt.h).
#ifndef KVT_INTERNAL_H
#define KVT_INTERNAL_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kvt.h"

namespace kvt {

// ---------------------------------------------------------------- status

struct Status {
  int code = KVT_OK;
  std::string msg;
  Status() = default;
  Status(int c, std::string m = {}) : code(c), msg(std::move(m)) {}
  bool ok() const { return code == KVT_OK; }
};

// ---------------------------------------------------------------- encoding

inline void put8(std::string& s, uint8_t v) { s.push_back(char(v)); }
inline void put16(std::string& s, uint16_t v) { s.append(reinterpret_cast<const char*>(&v), 2); }
inline void put32(std::string& s, uint32_t v) { s.append(reinterpret_cast<const char*>(&v), 4); }
inline void put64(std::string& s, uint64_t v) { s.append(reinterpret_cast<const char*>(&v), 8); }
inline uint16_t get16(const char* p) { uint16_t v; memcpy(&v, p, 2); return v; }
inline uint32_t get32(const char* p) { uint32_t v; memcpy(&v, p, 4); return v; }
inline uint64_t get64(const char* p) { uint64_t v; memcpy(&v, p, 8); return v; }

// Reader over an encoded buffer; ok() turns false on any short read.
struct Reader {
  const char* p;
  const char* end;
  bool good = true;
  Reader(const char* d, size_t n) : p(d), end(d + n) {}
  bool ok() const { return good; }
  bool done() const { return p >= end; }
  bool need(size_t n) {
    if (!good || size_t(end - p) < n) { good = false; return false; }
    return true;
  }
  uint8_t u8() { if (!need(1)) return 0; return uint8_t(*p++); }
  uint16_t u16() { if (!need(2)) return 0; uint16_t v = get16(p); p += 2; return v; }
  uint32_t u32() { if (!need(4)) return 0; uint32_t v = get32(p); p += 4; return v; }
  uint64_t u64() { if (!need(8)) return 0; uint64_t v = get64(p); p += 8; return v; }
  std::string_view bytes(size_t n) {
    if (!need(n)) return {};
    std::string_view v(p, n);
    p += n;
    return v;
  }
};

uint32_t crc32c(const char* data, size_t n);

// ---------------------------------------------------------------- keys

inline int keycmp(const char* a, size_t an, const char* b, size_t bn) {
  size_t m = an < bn ? an : bn;
  int c = m ? memcmp(a, b, m) : 0;
  if (c) return c;
  return an < bn ? -1 : (an > bn ? 1 : 0);
}
inline int keycmp(std::string_view a, std::string_view b) { return keycmp(a.data(), a.size(), b.data(), b.size()); }

// Big-endian first 8 bytes, zero padded: prefix order agrees with key order
// whenever prefixes differ.
inline uint64_t key_prefix(const char* k, size_t n) {
  if (n >= 8) {
    uint64_t v;
    memcpy(&v, k, 8);
    return __builtin_bswap64(v);
  }
  uint64_t p = 0;
  for (size_t i = 0; i < n; i++) p |= uint64_t(uint8_t(k[i])) << (56 - 8 * i);
  return p;
}

// ---------------------------------------------------------------- memory

// Arena is a size-class allocator for versions and B+tree leaves: 8-byte
// classes up to 4 KiB carved from 2 MiB chunks, no per-object header (the
// caller passes the size to free). Freed blocks go on a per class free list
// and are reused. Chunks are 2 MiB-aligned mappings advised for transparent
// huge pages: a random access into them then needs no 4 KiB page walk (one
// TLB entry covers a chunk). Each chunk counts its live bytes in a header at
// its base; reclaim() unmaps the chunks left with no live block (relocation
// empties whole chunks, see relocate_leaf), else chunks return to the OS on
// close. Larger blocks come from malloc.
class Arena {
 public:
  static constexpr size_t kMaxSmall = 4096;
  static constexpr size_t kChunk = size_t(2) << 20;
  static constexpr size_t kChunkHdr = 64;
  ~Arena();
  void* alloc(size_t n);
  void free(void* p, size_t n);
  // Contiguous space for several blocks (n a multiple of 8, at most
  // kMaxRun): the caller carves it into blocks of 8-byte multiple sizes that
  // sum to n, each freed individually later.
  static constexpr size_t kMaxRun = kChunk - kChunkHdr;
  char* alloc_run(size_t n);
  // Frees blocks (pointer, size) under one lock acquisition.
  void free_many(const std::vector<std::pair<void*, size_t>>& blocks);
  // Unmaps chunks that hold no live block once they are worth the walk over
  // the free lists that purges their blocks (at least a quarter of the free
  // space, or force). Returns the bytes released. Safe to call from several
  // threads (sweeps may run concurrently): calls run one at a time.
  size_t reclaim(bool force = false);
  size_t used() const { return used_.load(std::memory_order_relaxed); }
  size_t reserved() const { return reserved_.load(std::memory_order_relaxed); }

 private:
  struct ChunkHdr {
    size_t live;     // bytes of live blocks (guarded by mu_)
    bool reclaiming; // set while reclaim() purges the free lists
  };
  static ChunkHdr* hdr_of(const void* p) {
    return reinterpret_cast<ChunkHdr*>(reinterpret_cast<uintptr_t>(p) & ~(uintptr_t(kChunk) - 1));
  }
  static size_t round8(size_t n) { return (n + 7) & ~size_t(7); }
  void new_chunk_locked();
  void push_locked(void* p, size_t n);
  static constexpr size_t kClasses = kMaxSmall / 8 + 1;
  // Held through reclaim(): a second reclaim must not unmap chunks whose
  // blocks the first is still walking.
  std::mutex reclaim_mu_;
  std::mutex mu_;
  void* heads_[kClasses] = {};
  char* cur_ = nullptr;
  size_t left_ = 0;
  std::vector<char*> chunks_;
  size_t chunk_live_ = 0;  // sum of the chunks' live bytes (mu_)
  std::atomic<size_t> used_{0};
  std::atomic<size_t> reserved_{0};
};

constexpr uint32_t kTomb = 0xffffffffu;

// Version is one committed version of one key: the key and value live in the
// same allocation. Chains run newest first through `older`. The header is
// packed to 20 bytes (48-bit timestamps, 16-bit key lengths).
#pragma pack(push, 4)
struct Version {
  Version* older;
  uint64_t ts : 48;
  uint64_t klen : 16;
  uint32_t vlen;  // kTomb for a deletion
  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* key() { return data(); }
  const char* val() { return data() + klen; }
  bool tomb() const { return vlen == kTomb; }
  size_t size() const { return sizeof(Version) + klen + (vlen == kTomb ? 0 : vlen); }
};
#pragma pack(pop)
static_assert(sizeof(Version) == 20, "Version header must stay compact");

inline Version* visible_at(Version* v, uint64_t snap) {
  while (v && v->ts > snap) v = v->older;
  return v;
}

// ---------------------------------------------------------------- index

struct Slot {
  uint64_t prefix;
  Version* v;  // newest version of the key
};

constexpr int kLeafCap = 128;
constexpr int kGroup = 8;  // slots per separator
// Leaf is a sorted array of slots plus the prefix of every kGroup-th slot
// (sep), so a lookup reads the separators and one group of slots instead of
// binary-searching across the whole 2 KiB leaf (fewer cache misses).
struct Leaf {
  int n = 0;
  uint64_t sep[kLeafCap / kGroup];
  Slot s[kLeafCap];
  void reseps() {
    for (int g = 0; g * kGroup < n; g++) sep[g] = s[g * kGroup].prefix;
  }
};

// Index is an ordered two-level B+tree: a sorted vector of leaves (with their
// first prefixes kept contiguously for the top-level search), each leaf a
// sorted array of slots. It is not thread-safe; Table::latch guards it.
class Index {
 public:
  explicit Index(Arena* a) : arena_(a) {}
  struct Pos {
    size_t leaf;
    int slot;
  };
  ~Index();
  size_t count() const { return count_; }
  Pos begin() const { return Pos{0, 0}; }
  Pos lower_bound(const char* k, size_t n) const;  // first key >= k
  bool at_end(const Pos& p) const { return p.leaf >= leaves_.size(); }
  Slot& at(const Pos& p) const { return leaves_[p.leaf]->s[p.slot]; }
  void next(Pos& p) const {
    if (++p.slot >= leaves_[p.leaf]->n) { p.leaf++; p.slot = 0; }
  }
  // Moves to the previous slot; false when p was the first.
  bool prev(Pos& p) const {
    if (p.leaf >= leaves_.size()) {
      if (leaves_.empty()) return false;
      p.leaf = leaves_.size() - 1;
      p.slot = leaves_[p.leaf]->n - 1;
      return true;
    }
    if (p.slot > 0) { p.slot--; return true; }
    if (p.leaf == 0) return false;
    p.leaf--;
    p.slot = leaves_[p.leaf]->n - 1;
    return true;
  }
  Pos end_pos() const { return Pos{leaves_.size(), 0}; }
  // Slot of key k, or nullptr. want_value: the caller reads the value next
  // (its cache lines are fetched along with the key's).
  Version** find(const char* k, size_t n, bool want_value = false);
  // find in stages, for batches (MultiGet): each stage ends by prefetching
  // what the next one reads, so running one stage over a whole batch before
  // the next overlaps the batch's cache misses (top level, then leaf
  // separators, then slots, then the version). Set k and n, then call
  // probe_start, probe_leaf, probe_slots and probe_end in order.
  struct Probe {
    const char* k;
    size_t n;
    uint64_t p;
    Leaf* l;
    int a, b;  // slots the separators allow
    int slot;  // candidate slot, or -1
  };
  void probe_start(Probe& q, bool guess = false) const;
  void probe_leaf(Probe& q) const;
  void probe_slots(Probe& q, bool want_value) const;
  Version** probe_end(Probe& q) const;
  void insert(const char* k, size_t n, Version* v);  // k must be absent
  // Slot of key k; when absent, inserts v for it and sets *inserted.
  Version** find_or_insert(const char* k, size_t n, Version* v, bool* inserted);
  void append(Version* v);                            // v's key sorts after all
  // Calls fn(slot) for every slot of leaf li; fn returns false to erase the
  // slot. Returns the next leaf index to visit.
  template <class F>
  size_t filter_leaf(size_t li, F fn);
  size_t leaf_count() const { return leaves_.size(); }
  Leaf* leaf(size_t i) const { return leaves_[i]; }
  // Replaces leaf i by a copy at another address (relocate_leaf); the
  // caller frees the old one.
  void move_leaf(size_t i, Leaf* copy) { leaves_[i] = copy; }

 private:
  size_t find_leaf(uint64_t p, const char* k, size_t n) const;
  Leaf* new_leaf() { return new (arena_->alloc(sizeof(Leaf))) Leaf(); }
  void free_leaf(Leaf* l) { arena_->free(l, sizeof(Leaf)); }
  Arena* arena_;
  std::vector<Leaf*> leaves_;
  std::vector<uint64_t> firsts_;
  std::vector<uint8_t> ns_;  // leaves_[i]->n, for find's interpolation guess
  size_t count_ = 0;
};

template <class F>
size_t Index::filter_leaf(size_t li, F fn) {
  Leaf* l = leaves_[li];
  int w = 0;
  for (int r = 0; r < l->n; r++) {
    if (fn(l->s[r])) l->s[w++] = l->s[r];
  }
  count_ -= size_t(l->n - w);
  l->n = w;
  ns_[li] = uint8_t(w);
  l->reseps();
  if (w == 0) {
    free_leaf(l);
    leaves_.erase(leaves_.begin() + li);
    firsts_.erase(firsts_.begin() + li);
    ns_.erase(ns_.begin() + li);
    return li;
  }
  firsts_[li] = l->s[0].prefix;
  return li + 1;
}

// ---------------------------------------------------------------- hash index

inline uint64_t hash_key(const char* k, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t(n) * 0xff51afd7ed558ccdull);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, k, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    k += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, k, n);
  h = (h ^ w) * 0x94d049bb133111ebull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return h;
}

// HashIndex is an open-addressing (linear probing) table of newest-version
// pointers, each tagged in its top 16 bits with 16 bits of the key's hash so
// that most mismatching probes never touch the version. Not thread-safe;
// Table::latch guards it.
class HashIndex {
 public:
  ~HashIndex() { ::free(slots_); }
  size_t count() const { return count_; }
  size_t capacity() const { return cap_; }
  // want_value: the caller reads the value next (its cache lines are
  // fetched along with the key's).
  Version** find(const char* k, size_t n, bool want_value = false) {
    if (count_ == 0) return nullptr;
    uint64_t h = hash_key(k, n);
    uint64_t tag = h >> 48;
    for (size_t i = h & (cap_ - 1);; i = (i + 1) & (cap_ - 1)) {
      uintptr_t s = slots_[i];
      if (s == 0) return nullptr;
      if ((s >> 48) == tag) {
        Version* v = ptr(s);
        if (want_value) {
          __builtin_prefetch(reinterpret_cast<char*>(v) + 64);
          __builtin_prefetch(reinterpret_cast<char*>(v) + 128);
        }
        if (v->klen == n && memcmp(v->key(), k, n) == 0) return reinterpret_cast<Version**>(&slots_[i]);
      }
    }
  }
  // Fetches the first slot find(k, n) reads (batched lookups).
  void prefetch(const char* k, size_t n) const {
    if (count_ == 0) return;
    __builtin_prefetch(&slots_[hash_key(k, n) & (cap_ - 1)]);
  }
  // Slot access for find(): the tag bits must be preserved when replacing.
  static Version* ptr(uintptr_t s) { return reinterpret_cast<Version*>(s & ((uintptr_t(1) << 48) - 1)); }
  void insert(Version* v) {
    if ((count_ + 1) * 4 > cap_ * 3) grow();
    place(v);
    count_++;
  }
  Version* at(size_t i) const { return slots_[i] ? ptr(slots_[i]) : nullptr; }
  void set_at(size_t i, Version* v) { slots_[i] = (slots_[i] & ~((uintptr_t(1) << 48) - 1)) | uintptr_t(v); }
  // Erases slot i (backward-shift deletion). Slot i may then hold another
  // entry, which the caller should examine again.
  void erase_at(size_t i) {
    size_t m = cap_ - 1;
    size_t j = i;
    for (;;) {
      j = (j + 1) & m;
      if (slots_[j] == 0) break;
      Version* v = ptr(slots_[j]);
      size_t home = hash_key(v->key(), v->klen) & m;
      // Move j back to i when its home is not cyclically in (i, j].
      bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!in_range) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = 0;
    count_--;
  }

 private:
  void place(Version* v) {
    uint64_t h = hash_key(v->key(), v->klen);
    size_t i = h & (cap_ - 1);
    while (slots_[i]) i = (i + 1) & (cap_ - 1);
    slots_[i] = (uintptr_t(h >> 48) << 48) | uintptr_t(v);
  }
  void grow() {
    size_t oc = cap_;
    uintptr_t* old = slots_;
    cap_ = oc ? oc * 2 : 16;
    slots_ = static_cast<uintptr_t*>(calloc(cap_, sizeof(uintptr_t)));
    if (!slots_) abort();
    for (size_t i = 0; i < oc; i++)
      if (old[i]) place(ptr(old[i]));
    ::free(old);
  }
  uintptr_t* slots_ = nullptr;
  size_t cap_ = 0;
  size_t count_ = 0;
};

// ---------------------------------------------------------------- tables

struct DB;

struct Table {
  uint32_t id;
  std::string name;
  int method;
  DB* db;
  std::shared_mutex latch;  // short-term: guards idx/hidx and version chains
  Index idx;                // range tables
  HashIndex hidx;           // hash tables
  std::atomic<bool> dropped{false};
  Table(uint32_t i, std::string n, int m, DB* d);
  ~Table();
  bool hashed() const { return method == KVT_METHOD_HASH; }
  // Newest version slot of key k, or nullptr. The slot may be overwritten
  // with a new head (under the exclusive latch).
  Version** find(const char* k, size_t n, bool want_value = false) {
    return hashed() ? hidx.find(k, n, want_value) : idx.find(k, n, want_value);
  }
  void set_head(Version** slot, Version* v) {
    if (hashed()) {
      uintptr_t* s = reinterpret_cast<uintptr_t*>(slot);
      *s = (*s & ~((uintptr_t(1) << 48) - 1)) | uintptr_t(v);
    } else {
      *slot = v;
    }
  }
  Version* head(Version** slot) const {
    return hashed() ? HashIndex::ptr(*reinterpret_cast<uintptr_t*>(slot)) : *slot;
  }
  void insert(const char* k, size_t n, Version* v) {
    if (hashed())
      hidx.insert(v);
    else
      idx.insert(k, n, v);
  }
  // Slot of key k (nullptr after inserting v as its first version).
  Version** find_or_insert(const char* k, size_t n, Version* v) {
    if (hashed()) {
      if (Version** pv = hidx.find(k, n)) return pv;
      hidx.insert(v);
      return nullptr;
    }
    bool ins = false;
    Version** pv = idx.find_or_insert(k, n, v, &ins);
    return ins ? nullptr : pv;
  }
  size_t count() const { return hashed() ? hidx.count() : idx.count(); }
};

// ---------------------------------------------------------------- transactions

struct Pending {
  bool del;
  std::string val;
};
using WriteMap = std::map<std::string, Pending, std::less<>>;

struct TableWrites {
  uint32_t id;
  std::shared_ptr<Table> t;
  WriteMap m;
};

struct ReadRec {
  Table* t;
  uint32_t off;
  uint32_t len;
};

struct RangeRec {
  Table* t;
  std::string lo;
  std::string hi;
  bool hi_inf;
};

struct Tx {
  DB* db;
  uint64_t snap = 0;
  bool serializable = true;
  bool read_only = false;
  bool oneshot = false;
  bool registered = false;
  std::vector<std::pair<uint32_t, std::shared_ptr<Table>>> refs;
  std::shared_ptr<Table> single;  // one-shot reads
  std::string read_keys;
  std::vector<ReadRec> reads;
  std::vector<RangeRec> ranges;
  std::vector<TableWrites> writes;
  std::string deferred;  // encoded writes not yet in the maps (kvt_tx_apply)
  Tx* live_prev = nullptr;
  Tx* live_next = nullptr;
  bool track_reads() const { return serializable && !read_only && !oneshot; }
};

// ---------------------------------------------------------------- wal

struct Wal {
  DB* db = nullptr;
  std::string dir;
  int fd = -1;
  uint64_t seg_no = 0;
  uint64_t seg_bytes = 0;  // bytes in the current segment (writer thread)
  std::mutex mu;
  std::condition_variable cv_writer;
  std::condition_variable cv_done;
  std::string pending;      // guarded by mu
  uint64_t pending_max_ts = 0;
  uint64_t durable_ts = 0;  // written (and synced in always mode)
  bool failed = false;
  std::string err;
  bool stop = false;
  uint64_t rotate_req = 0, rotate_done = 0;
  uint64_t rotate_seg = 0;  // segment number opened by the last rotation
  std::atomic<uint64_t> bytes_since_ckpt{0};
  std::atomic<int> fail_next_sync{0};
  std::atomic<uint64_t> syncs{0};
  std::atomic<uint64_t> bytes{0};
  std::thread th;
};

// ---------------------------------------------------------------- db

// SnapSet counts open snapshots by timestamp. Snapshots are taken in
// non-decreasing order, so it is a deque with the oldest live snapshot in
// front: add and remove cost no allocation in the steady state.
class SnapSet {
 public:
  bool empty() const { return q_.empty(); }
  uint64_t oldest() const { return q_.front().first; }
  void add(uint64_t ts) {
    if (q_.empty() || q_.back().first < ts) {
      q_.emplace_back(ts, 1);
    } else if (q_.back().first == ts) {
      q_.back().second++;
    } else {
      auto it = std::lower_bound(q_.begin(), q_.end(), ts, [](const auto& e, uint64_t t) { return e.first < t; });
      if (it != q_.end() && it->first == ts)
        it->second++;
      else
        q_.insert(it, {ts, 1});
    }
  }
  void remove(uint64_t ts) {
    auto it = std::lower_bound(q_.begin(), q_.end(), ts, [](const auto& e, uint64_t t) { return e.first < t; });
    if (it == q_.end() || it->first != ts || it->second == 0) return;
    it->second--;
    while (!q_.empty() && q_.front().second == 0) q_.pop_front();
  }

 private:
  std::deque<std::pair<uint64_t, uint32_t>> q_;
};

struct DB {
  std::string dir;
  bool inmem = true;
  kvt_options opts{};
  int lock_fd = -1;
  Arena arena;

  std::shared_mutex cat_mu;
  std::unordered_map<uint32_t, std::shared_ptr<Table>> by_id;
  std::unordered_map<std::string, uint32_t> by_name;
  uint32_t next_table_id = 1;

  std::mutex commit_mu;
  uint64_t last_ts = 0;  // guarded by commit_mu
  std::atomic<uint64_t> visible_ts{0};
  std::atomic<uint64_t> gc_horizon{0};

  std::mutex snap_mu;
  SnapSet snaps;                        // active transaction snapshots
  std::map<uint64_t, uint32_t> pinned;  // checkpoint snapshots (exempt from lag)
  Tx* live = nullptr;  // intrusive list of open transactions (snap_mu)
  size_t n_live = 0;

  std::atomic<bool> fenced{false};
  std::mutex fence_mu;
  std::string fence_msg;

  std::unique_ptr<Wal> wal;

  std::mutex log_mu;
  std::string logs;

  std::mutex ckpt_mu;
  std::atomic<int> crash_in_ckpt{0};
  std::chrono::steady_clock::time_point last_ckpt = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_gc = std::chrono::steady_clock::now();

  std::mutex maint_mu;
  std::condition_variable maint_cv;
  bool maint_stop = false;
  std::thread maint;

  std::atomic<uint64_t> live_versions{0};
  std::atomic<uint64_t> garbage_hint{0};
  // Keys inserted into range tables since the last sweep: new versions land
  // wherever the allocator has room, out of key order, so the sweep
  // relocates them.
  std::atomic<uint64_t> insert_hint{0};
  std::atomic<uint64_t> n_commits{0}, n_conflicts{0}, n_ckpts{0}, n_sweeps{0}, n_freed{0};
  std::atomic<uint64_t> n_relocated{0}, n_leaves_relocated{0}, n_released{0};

  void log(char level, const std::string& m) {
    std::lock_guard<std::mutex> g(log_mu);
    logs.push_back(level);
    logs += m;
    logs.push_back('\n');
  }
  void fence(const std::string& why) {
    {
      std::lock_guard<std::mutex> g(fence_mu);
      if (fence_msg.empty()) fence_msg = why;
    }
    fenced.store(true);
  }
  Status fenced_status() {
    std::lock_guard<std::mutex> g(fence_mu);
    return Status(KVT_FENCED, "engine refuses writes after an I/O error (" + fence_msg + "); reopen the database");
  }
  Version* new_version(const char* k, uint32_t kl, const char* v, uint32_t vl, uint64_t ts) {
    size_t sz = sizeof(Version) + kl + (vl == kTomb ? 0 : vl);
    Version* x = static_cast<Version*>(arena.alloc(sz));
    x->older = nullptr;
    x->ts = ts;
    x->klen = kl;
    x->vlen = vl;
    memcpy(x->data(), k, kl);
    if (vl != kTomb && vl) memcpy(x->data() + kl, v, vl);
    live_versions.fetch_add(1, std::memory_order_relaxed);
    return x;
  }
  void free_version(Version* v) {
    arena.free(v, v->size());
    live_versions.fetch_sub(1, std::memory_order_relaxed);
  }
  void free_chain(Version* v) {
    while (v) {
      Version* o = v->older;
      free_version(v);
      v = o;
    }
  }
  // Frees every version older than the newest one visible at horizon.
  // max_steps bounds the walk to that version (0: unbounded) so that writes
  // to a hot key under a long-lived snapshot stay O(1); the background sweep
  // does the unbounded walks.
  size_t prune(Version* head, uint64_t horizon, int max_steps = 0) {
    Version* v = head;
    for (int steps = 0; v && v->ts > horizon; steps++) {
      if (max_steps && steps >= max_steps) return 0;
      v = v->older;
    }
    if (!v || !v->older) return 0;
    Version* x = v->older;
    v->older = nullptr;
    size_t n = 0;
    while (x) {
      Version* o = x->older;
      free_version(x);
      x = o;
      n++;
    }
    n_freed.fetch_add(n, std::memory_order_relaxed);
    return n;
  }

  uint64_t compute_horizon();
  std::shared_ptr<Table> table_by_id(uint32_t id);
};

// durable.cc
Status wal_open(DB* db, uint64_t seg);
Status wal_close(DB* db);  // error if the log failed at any point
Status wal_wait(DB* db, uint64_t ts);
void wal_append_locked(Wal* w, const std::string& payload, uint64_t ts);
Status recover(DB* db);
Status checkpoint(DB* db);
void maintenance_loop(DB* db);
Status wal_sync(DB* db);

// engine.cc
// Relocates only leaves whose keys were all committed at or before
// stable_before (and the horizon).
void gc_sweep(DB* db, uint64_t stable_before = UINT64_MAX);
bool sweep_due(DB* db, uint64_t* seen);
void install_create(DB* db, uint32_t id, int method, const std::string& name);
void install_drop(DB* db, uint32_t id);

}  // namespace kvt

#endif
