// kvt_engine.cc: memory, index, transactions (MVCC + OCC validation), GC and
// the C interface of the KVT engine. Durability lives in kvt_durable.cc.
#include <algorithm>
#include <cstdio>
#include <cstddef>
#include <cstdlib>
#include <malloc.h>
#include <sys/mman.h>

#include "kvt_internal.h"

namespace kvt {

// ---------------------------------------------------------------- crc32c

namespace {
uint32_t crc_tab[8][256];
std::once_flag crc_once;
bool crc_hw = false;

void crc_init() {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    crc_tab[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++)
    for (int t = 1; t < 8; t++) crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xff];
#if defined(__x86_64__)
  __builtin_cpu_init();
  crc_hw = __builtin_cpu_supports("sse4.2");
#endif
}

uint32_t crc_sw(uint32_t crc, const unsigned char* p, size_t n) {
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    w ^= crc;
    crc = crc_tab[7][w & 0xff] ^ crc_tab[6][(w >> 8) & 0xff] ^ crc_tab[5][(w >> 16) & 0xff] ^
          crc_tab[4][(w >> 24) & 0xff] ^ crc_tab[3][(w >> 32) & 0xff] ^ crc_tab[2][(w >> 40) & 0xff] ^
          crc_tab[1][(w >> 48) & 0xff] ^ crc_tab[0][w >> 56];
    p += 8;
    n -= 8;
  }
  while (n--) crc = crc_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t crc_hw_fn(uint32_t crc, const unsigned char* p, size_t n) {
  uint64_t c = crc;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    c = __builtin_ia32_crc32di(c, w);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = uint32_t(c);
  while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
  return c32;
}
#endif
}  // namespace

uint32_t crc32c(const char* data, size_t n) {
  std::call_once(crc_once, crc_init);
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
#if defined(__x86_64__)
  if (crc_hw) return ~crc_hw_fn(~0u, p, n);
#endif
  return ~crc_sw(~0u, p, n);
}

// ---------------------------------------------------------------- arena

Arena::~Arena() {
  for (char* c : chunks_) ::munmap(c, kChunk);
}

void Arena::new_chunk_locked() {
  // Keep the tail of the old chunk usable: on the free list of its size
  // class, in blocks of at most kMaxSmall (a run may leave a long tail).
  while (left_ >= 8) {
    size_t piece = left_ < kMaxSmall ? left_ : kMaxSmall;
    push_locked(cur_, piece);
    cur_ += piece;
    left_ -= piece;
  }
  // Map twice the size and trim, for a 2 MiB-aligned chunk.
  void* m = ::mmap(nullptr, 2 * kChunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) abort();
  uintptr_t base = reinterpret_cast<uintptr_t>(m);
  uintptr_t al = (base + kChunk - 1) & ~(uintptr_t(kChunk) - 1);
  if (al > base) ::munmap(m, al - base);
  if (al + kChunk < base + 2 * kChunk) ::munmap(reinterpret_cast<void*>(al + kChunk), base + 2 * kChunk - al - kChunk);
  char* c = reinterpret_cast<char*>(al);
#ifdef MADV_HUGEPAGE
  ::madvise(c, kChunk, MADV_HUGEPAGE);
#endif
  ChunkHdr* h = reinterpret_cast<ChunkHdr*>(c);
  h->live = 0;
  h->reclaiming = false;
  chunks_.push_back(c);
  cur_ = c + kChunkHdr;
  left_ = kChunk - kChunkHdr;
  reserved_.fetch_add(kChunk, std::memory_order_relaxed);
}

// Puts a free block of n bytes (a multiple of 8, at most kMaxSmall) on its
// class list.
void Arena::push_locked(void* p, size_t n) {
  size_t c = n >> 3;
  *static_cast<void**>(p) = heads_[c];
  heads_[c] = p;
}

void* Arena::alloc(size_t n) {
  n = round8(n);
  used_.fetch_add(n, std::memory_order_relaxed);
  if (n > kMaxSmall) {
    void* p = ::malloc(n);
    if (!p) abort();
    return p;
  }
  std::lock_guard<std::mutex> g(mu_);
  size_t c = n >> 3;
  void* p = heads_[c];
  if (p) {
    heads_[c] = *static_cast<void**>(p);
  } else {
    if (left_ < n) new_chunk_locked();
    p = cur_;
    cur_ += n;
    left_ -= n;
  }
  hdr_of(p)->live += n;
  chunk_live_ += n;
  return p;
}

char* Arena::alloc_run(size_t n) {
  std::lock_guard<std::mutex> g(mu_);
  if (left_ < n) new_chunk_locked();
  char* p = cur_;
  cur_ += n;
  left_ -= n;
  hdr_of(p)->live += n;
  chunk_live_ += n;
  used_.fetch_add(n, std::memory_order_relaxed);
  return p;
}

void Arena::free(void* p, size_t n) {
  n = round8(n);
  used_.fetch_sub(n, std::memory_order_relaxed);
  if (n > kMaxSmall) {
    ::free(p);
    return;
  }
  std::lock_guard<std::mutex> g(mu_);
  hdr_of(p)->live -= n;
  chunk_live_ -= n;
  push_locked(p, n);
}

void Arena::free_many(const std::vector<std::pair<void*, size_t>>& blocks) {
  size_t total = 0;
  std::lock_guard<std::mutex> g(mu_);
  for (auto& b : blocks) {
    size_t n = round8(b.second);
    total += n;
    if (n > kMaxSmall) {
      ::free(b.first);
      continue;
    }
    hdr_of(b.first)->live -= n;
    chunk_live_ -= n;
    push_locked(b.first, n);
  }
  used_.fetch_sub(total, std::memory_order_relaxed);
}

size_t Arena::reclaim(bool force) {
  std::lock_guard<std::mutex> rg(reclaim_mu_);
  void* lists[kClasses];
  std::vector<char*> empty;
  {
    std::lock_guard<std::mutex> g(mu_);
    // The chunk being bump-allocated keeps its unallocated tail off the
    // free lists: never a candidate.
    char* cur_chunk = left_ > 0 ? reinterpret_cast<char*>(hdr_of(cur_)) : nullptr;
    for (char* c : chunks_) {
      ChunkHdr* h = reinterpret_cast<ChunkHdr*>(c);
      if (h->live == 0 && c != cur_chunk) empty.push_back(c);
    }
    if (empty.empty()) return 0;
    // Small chunk counts are not worth a walk over every free block.
    size_t free_bytes = chunks_.size() * (kChunk - kChunkHdr) - chunk_live_;
    if (!force && empty.size() * kChunk * 4 < free_bytes) return 0;
    // A chunk with no live block has all its space on the free lists (its
    // tail was pushed when the bump pointer left it). Detach every list:
    // no block of an empty chunk can then be allocated, so the chunk stays
    // empty while the lists are filtered without the lock.
    for (char* c : empty) reinterpret_cast<ChunkHdr*>(c)->reclaiming = true;
    memcpy(lists, heads_, sizeof(heads_));
    memset(heads_, 0, sizeof(heads_));
  }
  void* tails[kClasses];
  for (size_t c = 0; c < kClasses; c++) {
    void* head = nullptr;
    void** link = &head;
    void* tail = nullptr;
    for (void* p = lists[c]; p;) {
      void* next = *static_cast<void**>(p);
      if (!hdr_of(p)->reclaiming) {
        *link = p;
        link = static_cast<void**>(p);
        tail = p;
      }
      p = next;
    }
    *link = nullptr;
    lists[c] = head;
    tails[c] = tail;
  }
  {
    std::lock_guard<std::mutex> g(mu_);
    for (size_t c = 0; c < kClasses; c++) {
      if (!lists[c]) continue;
      *static_cast<void**>(tails[c]) = heads_[c];
      heads_[c] = lists[c];
    }
    std::sort(empty.begin(), empty.end());
    chunks_.erase(std::remove_if(chunks_.begin(), chunks_.end(),
                                 [&](char* c) { return std::binary_search(empty.begin(), empty.end(), c); }),
                  chunks_.end());
    reserved_.fetch_sub(empty.size() * kChunk, std::memory_order_relaxed);
  }
  for (char* c : empty) ::munmap(c, kChunk);
  return empty.size() * kChunk;
}

// ---------------------------------------------------------------- index

Index::~Index() {
  for (Leaf* l : leaves_) free_leaf(l);
}

// Last leaf whose first key is <= k (0 when k sorts before every leaf). The
// search over firsts_ (hot in cache) is written to compile to conditional
// moves: only prefix ties, which need the leaf's first key, take a branch.
size_t Index::find_leaf(uint64_t p, const char* k, size_t n) const {
  const uint64_t* f = firsts_.data();
  size_t lo = 0, len = leaves_.size();
  while (len > 1) {
    size_t half = len >> 1;
    size_t mid = lo + half;
    uint64_t fm = f[mid];
    bool le = fm < p;
    if (__builtin_expect(fm == p, 0)) {
      Version* v = leaves_[mid]->s[0].v;
      le = keycmp(v->key(), v->klen, k, n) <= 0;
    }
    lo = le ? mid : lo;
    len -= half;
  }
  return lo;
}

namespace {

inline void prefetch_lines(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t o = 0; o < bytes; o += 64) __builtin_prefetch(c + o);
  __builtin_prefetch(c + bytes - 1);
}

// The slots of leaf l that can hold prefix p, from the separators: [*a, *b).
// Groups before the last one starting below p end below p; groups from the
// first one starting above p start above it. The counts are branch-free.
inline void group_range(const Leaf* l, uint64_t p, int* a, int* b) {
  int n = l->n;
  int ng = (n + kGroup - 1) / kGroup;
  int lt = 0, le = 0;
  for (int g = 0; g < kLeafCap / kGroup; g++) {
    int in = g < ng;
    lt += in & (l->sep[g] < p);
    le += in & (l->sep[g] <= p);
  }
  *a = (lt > 0 ? lt - 1 : 0) * kGroup;
  *b = le * kGroup < n ? le * kGroup : n;
}

// Slots of [a, b) (from group_range) whose prefix equals p: [*lo, *hi); *lo is
// also the first slot whose prefix is >= p.
inline void slot_range(const Leaf* l, uint64_t p, int a, int b, int* lo, int* hi) {
  int i = a, j = a;
  for (int x = a; x < b; x++) {
    i += l->s[x].prefix < p;
    j += l->s[x].prefix <= p;
  }
  *lo = i;
  *hi = j;
}

// First slot of leaf l whose key is >= k.
inline int lower_in_leaf(const Leaf* l, uint64_t p, const char* k, size_t n) {
  int a, b, lo, hi;
  group_range(l, p, &a, &b);
  prefetch_lines(&l->s[a], sizeof(Slot) * size_t(b - a));
  slot_range(l, p, a, b, &lo, &hi);
  // Keys sharing the prefix: binary search on the full keys.
  while (lo < hi) {
    int mid = (lo + hi) >> 1;
    const Slot& s = l->s[mid];
    if (keycmp(s.v->key(), s.v->klen, k, n) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

}  // namespace

Index::Pos Index::lower_bound(const char* k, size_t n) const {
  if (leaves_.empty()) return end_pos();
  uint64_t p = key_prefix(k, n);
  size_t li = find_leaf(p, k, n);
  const Leaf* l = leaves_[li];
  prefetch_lines(l, offsetof(Leaf, s));
  int si = lower_in_leaf(l, p, k, n);
  if (si >= l->n) return Pos{li + 1, 0};
  return Pos{li, si};
}

void Index::probe_start(Probe& q, bool guess) const {
  q.slot = -1;
  q.l = nullptr;
  if (leaves_.empty()) return;
  q.p = key_prefix(q.k, q.n);
  size_t li = find_leaf(q.p, q.k, q.n);
  q.l = leaves_[li];
  prefetch_lines(q.l, offsetof(Leaf, s));
  if (!guess) return;
  // Guess the key's group by interpolating its prefix between the leaf's
  // first prefix and the next leaf's, and fetch that group's slots (and the
  // nearer neighbour's) together with the separators: when keys are spread
  // evenly (hashed or sequential ids) the slot lines arrive in the same round
  // trip as the separators instead of one round trip later.
  uint64_t lo = firsts_[li], hi = li + 1 < firsts_.size() ? firsts_[li + 1] : ~uint64_t(0);
  int n = ns_[li];
  if (q.p < lo || hi <= lo || n == 0) return;
  int g = int(double(q.p - lo) / double(hi - lo) * n);
  int grp = g / kGroup;
  int other = (g % kGroup) < kGroup / 2 ? grp - 1 : grp + 1;
  int ng = (n + kGroup - 1) / kGroup;
  if (grp >= ng) grp = ng - 1;
  if (grp < 0) grp = 0;
  __builtin_prefetch(&q.l->s[grp * kGroup]);
  __builtin_prefetch(reinterpret_cast<const char*>(&q.l->s[grp * kGroup]) + 64);
  __builtin_prefetch(reinterpret_cast<const char*>(&q.l->s[grp * kGroup]) + 127);
  if (other >= 0 && other < ng) {
    __builtin_prefetch(&q.l->s[other * kGroup]);
    __builtin_prefetch(reinterpret_cast<const char*>(&q.l->s[other * kGroup]) + 64);
    __builtin_prefetch(reinterpret_cast<const char*>(&q.l->s[other * kGroup]) + 127);
  }
}

void Index::probe_leaf(Probe& q) const {
  if (!q.l) return;
  group_range(q.l, q.p, &q.a, &q.b);
  prefetch_lines(&q.l->s[q.a], sizeof(Slot) * size_t(q.b - q.a));
}

void Index::probe_slots(Probe& q, bool want_value) const {
  if (!q.l) return;
  int lo, hi;
  slot_range(q.l, q.p, q.a, q.b, &lo, &hi);
  if (lo == hi) return;
  if (hi - lo > 1) {
    // Several keys share the prefix: binary search on the full keys.
    lo = lower_in_leaf(q.l, q.p, q.k, q.n);
    if (lo >= q.l->n || q.l->s[lo].prefix != q.p) return;
  }
  q.slot = lo;
  const char* v = reinterpret_cast<const char*>(q.l->s[lo].v);
  __builtin_prefetch(v);
  // A reader copies the value next: fetch its lines in the same round trip.
  if (want_value) {
    __builtin_prefetch(v + 64);
    __builtin_prefetch(v + 128);
  }
}

Version** Index::probe_end(Probe& q) const {
  if (q.slot < 0) return nullptr;
  Slot& s = q.l->s[q.slot];
  if (keycmp(s.v->key(), s.v->klen, q.k, q.n) != 0) return nullptr;
  return &s.v;
}

Version** Index::find(const char* k, size_t n, bool want_value) {
  Probe q;
  q.k = k;
  q.n = n;
  probe_start(q, true);
  probe_leaf(q);
  probe_slots(q, want_value);
  return probe_end(q);
}

void Index::insert(const char* k, size_t n, Version* v) {
  bool ins;
  find_or_insert(k, n, v, &ins);
}

Version** Index::find_or_insert(const char* k, size_t n, Version* v, bool* inserted) {
  uint64_t p = key_prefix(k, n);
  *inserted = true;
  if (leaves_.empty()) {
    Leaf* l = new_leaf();
    l->n = 1;
    l->s[0] = Slot{p, v};
    l->reseps();
    leaves_.push_back(l);
    firsts_.push_back(p);
    ns_.push_back(1);
    count_++;
    return &l->s[0].v;
  }
  size_t li = find_leaf(p, k, n);
  Leaf* l = leaves_[li];
  int si = lower_in_leaf(l, p, k, n);
  if (si < l->n && l->s[si].prefix == p && keycmp(l->s[si].v->key(), l->s[si].v->klen, k, n) == 0) {
    *inserted = false;
    return &l->s[si].v;
  }
  if (l->n == kLeafCap) {
    Leaf* r = new_leaf();
    if (li + 1 == leaves_.size() && si == l->n) {
      // Appending at the very end: start a fresh leaf so that sequential
      // loads fill leaves completely.
      leaves_.push_back(r);
      firsts_.push_back(p);
      ns_.push_back(0);
      l = r;
      li++;
      si = 0;
    } else {
      int half = kLeafCap / 2;
      r->n = kLeafCap - half;
      memcpy(r->s, l->s + half, sizeof(Slot) * size_t(r->n));
      l->n = half;
      l->reseps();
      r->reseps();
      leaves_.insert(leaves_.begin() + li + 1, r);
      firsts_.insert(firsts_.begin() + li + 1, r->s[0].prefix);
      ns_[li] = uint8_t(l->n);
      ns_.insert(ns_.begin() + li + 1, uint8_t(r->n));
      if (si > half) {
        l = r;
        li++;
        si -= half;
      }
    }
  }
  memmove(l->s + si + 1, l->s + si, sizeof(Slot) * size_t(l->n - si));
  l->s[si] = Slot{p, v};
  l->n++;
  ns_[li] = uint8_t(l->n);
  l->reseps();
  if (si == 0) firsts_[li] = p;
  count_++;
  return &l->s[si].v;
}

void Index::append(Version* v) {
  uint64_t p = key_prefix(v->key(), v->klen);
  if (leaves_.empty() || leaves_.back()->n == kLeafCap) {
    leaves_.push_back(new_leaf());
    firsts_.push_back(p);
    ns_.push_back(0);
  }
  Leaf* l = leaves_.back();
  l->s[l->n++] = Slot{p, v};
  ns_.back() = uint8_t(l->n);
  if ((l->n - 1) % kGroup == 0) l->sep[(l->n - 1) / kGroup] = p;
  count_++;
}

Table::Table(uint32_t i, std::string n, int m, DB* d) : id(i), name(std::move(n)), method(m), db(d), idx(&d->arena) {}

Table::~Table() {
  for (size_t i = 0; i < idx.leaf_count(); i++) {
    Leaf* l = idx.leaf(i);
    for (int j = 0; j < l->n; j++) db->free_chain(l->s[j].v);
  }
  for (size_t i = 0; i < hidx.capacity(); i++)
    if (Version* v = hidx.at(i)) db->free_chain(v);
}

// ---------------------------------------------------------------- db helpers

uint64_t DB::compute_horizon() {
  uint64_t vis, oldest, pin;
  {
    std::lock_guard<std::mutex> g(snap_mu);
    vis = visible_ts.load();
    oldest = snaps.empty() ? vis : snaps.oldest();
    pin = pinned.empty() ? vis : pinned.begin()->first;
  }
  uint64_t lag = opts.max_snapshot_lag;
  if (lag > 0 && vis > lag && oldest < vis - lag) oldest = vis - lag;
  if (pin < oldest) oldest = pin;
  uint64_t cur = gc_horizon.load();
  while (oldest > cur && !gc_horizon.compare_exchange_weak(cur, oldest)) {
  }
  return gc_horizon.load();
}

std::shared_ptr<Table> DB::table_by_id(uint32_t id) {
  std::shared_lock<std::shared_mutex> g(cat_mu);
  auto it = by_id.find(id);
  if (it == by_id.end()) return nullptr;
  return it->second;
}

void install_create(DB* db, uint32_t id, int method, const std::string& name) {
  std::unique_lock<std::shared_mutex> g(db->cat_mu);
  auto t = std::make_shared<Table>(id, name, method, db);
  db->by_id[id] = t;
  db->by_name[name] = id;
  if (id >= db->next_table_id) db->next_table_id = id + 1;
}

void install_drop(DB* db, uint32_t id) {
  std::shared_ptr<Table> t;
  {
    std::unique_lock<std::shared_mutex> g(db->cat_mu);
    auto it = db->by_id.find(id);
    if (it == db->by_id.end()) return;
    t = it->second;
    db->by_id.erase(it);
    db->by_name.erase(t->name);
  }
  t->dropped.store(true);
}

// ---------------------------------------------------------------- gc

namespace {

inline size_t round8(size_t n) { return (n + 7) & ~size_t(7); }

// How far leaf l is from the layout relocate_leaf gives it (the leaf, then
// its versions in key order): the number of versions that do not follow
// the previous one (or the leaf) within a small gap (gaps are versions
// removed since). Versions too large for the arena live elsewhere and are
// skipped.
int leaf_breaks(const Leaf* l) {
  uintptr_t end = reinterpret_cast<uintptr_t>(l) + round8(sizeof(Leaf));
  int breaks = 0;
  for (int i = 0; i < l->n; i++) {
    Version* v = l->s[i].v;
    size_t sz = round8(v->size());
    if (sz > Arena::kMaxSmall) continue;
    uintptr_t a = reinterpret_cast<uintptr_t>(v);
    if (a < end || a - end > Arena::kMaxSmall) breaks++;
    end = a + sz;
  }
  return breaks;
}

// Relocation: scans read the versions of consecutive keys, which commits
// allocate wherever the allocator has room, so a scan would pay a cache
// (and TLB) miss per entry. When every key of leaf li is stable (a single
// version, committed at or before h, at most the GC horizon) and more than one in
// sixteen of its versions is out of place (a scan of it then pays at most
// one miss per sixteen entries more than a packed leaf, and a few keys
// inserted do not make it copy the whole leaf again), the leaf and its
// versions are copied into one contiguous run, in key order, and the old
// blocks freed: scans then stream memory.
// Runs of consecutive leaves are carved one after the other, so whole
// ranges end up contiguous. Caller holds the table latch exclusively: every
// reader dereferences versions (and leaves) only under the shared latch, and
// nothing keeps a pointer to a range table's version or leaf across latch
// releases (checkpoints copy entries under the latch, transactions record
// keys, not versions), so the old blocks may be reused at once.
size_t relocate_leaf(DB* db, Index& ix, size_t li, uint64_t h) {
  Leaf* l = ix.leaf(li);
  size_t total = round8(sizeof(Leaf));
  for (int i = 0; i < l->n; i++) {
    Version* v = l->s[i].v;
    if (v->ts > h || v->older) return 0;
    size_t sz = round8(v->size());
    if (sz <= Arena::kMaxSmall) total += sz;
  }
  if (leaf_breaks(l) <= l->n / 16) return 0;
  char* run = db->arena.alloc_run(total);
  Leaf* nl = reinterpret_cast<Leaf*>(run);
  memcpy(static_cast<void*>(nl), l, offsetof(Leaf, s) + sizeof(Slot) * size_t(l->n));
  thread_local std::vector<std::pair<void*, size_t>> old;
  old.clear();
  old.emplace_back(l, sizeof(Leaf));
  char* q = run + round8(sizeof(Leaf));
  size_t moved = 0;
  for (int i = 0; i < l->n; i++) {
    if (i + 4 < l->n) __builtin_prefetch(l->s[i + 4].v);
    Version* v = l->s[i].v;
    size_t sz = v->size();
    if (round8(sz) > Arena::kMaxSmall) continue;
    memcpy(q, static_cast<void*>(v), sz);
    nl->s[i].v = reinterpret_cast<Version*>(q);
    old.emplace_back(v, sz);
    q += round8(sz);
    moved++;
  }
  ix.move_leaf(li, nl);
  db->arena.free_many(old);
  db->n_leaves_relocated.fetch_add(1, std::memory_order_relaxed);
  db->n_relocated.fetch_add(moved, std::memory_order_relaxed);
  return moved;
}

}  // namespace

// Whether the background sweep has work: garbage (overwritten or deleted
// keys), or keys inserted into range tables to relocate once inserting has
// paused: at least 1024 and a sixteenth of the live versions, with none
// since the previous check (*seen, the maintenance thread's, one GCInterval
// ago). A bulk load is thus relocated once, after it ends, rather than
// piecemeal while later inserts disorder what was just packed, and the
// chunks it leaves become empty and go back to the OS.
bool sweep_due(DB* db, uint64_t* seen) {
  uint64_t ins = db->insert_hint.load();
  bool quiet = ins == *seen;
  *seen = ins;
  if (db->garbage_hint.load() > 0) return true;
  return quiet && ins >= 1024 && ins >= db->live_versions.load() / 16;
}

void gc_sweep(DB* db, uint64_t stable_before) {
  uint64_t h = db->compute_horizon();
  // Relocation copies leaves whose keys were all committed at or before
  // stable: the horizon, or an older bound the caller gives (the background
  // sweep passes the horizon of one GCInterval ago, so that only leaves left
  // alone that long are copied: a leaf under steady writes would otherwise
  // be copied again at every sweep).
  uint64_t stable = std::min(h, stable_before);
  db->insert_hint.store(0);
  std::vector<std::shared_ptr<Table>> tables;
  {
    std::shared_lock<std::shared_mutex> g(db->cat_mu);
    for (auto& kv : db->by_id) tables.push_back(kv.second);
  }
  auto drop_dead = [&](Version* v) {
    db->prune(v, h);
    if (v->tomb() && v->ts <= h && v->older == nullptr) {
      db->free_version(v);
      db->n_freed.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
    return false;
  };
  for (auto& t : tables) {
    if (t->hashed()) {
      // Chunks of slots under the exclusive latch; a rehash between chunks
      // may make this sweep skip or revisit entries, which is harmless.
      for (size_t i = 0;;) {
        std::unique_lock<std::shared_mutex> g(t->latch);
        size_t cap = t->hidx.capacity();
        if (i >= cap) break;
        size_t end = std::min(cap, i + 4096);
        while (i < end) {
          Version* v = t->hidx.at(i);
          if (v && drop_dead(v)) {
            t->hidx.erase_at(i);  // slot i may now hold a shifted entry
            continue;
          }
          i++;
        }
      }
      continue;
    }
    size_t li = 0;
    for (;;) {
      std::unique_lock<std::shared_mutex> g(t->latch);
      if (li >= t->idx.leaf_count()) break;
      size_t next = t->idx.filter_leaf(li, [&](Slot& s) { return !drop_dead(s.v); });
      if (next > li) relocate_leaf(db, t->idx, li, stable);
      li = next;
    }
  }
  // Relocation leaves the chunks its versions came from empty: unmap them.
  db->n_released.fetch_add(db->arena.reclaim(), std::memory_order_relaxed);
  db->garbage_hint.store(0);
  db->n_sweeps.fetch_add(1);
}

// ---------------------------------------------------------------- transactions

namespace {

Status bad(const char* what) { return Status(KVT_INVALID_ARGUMENT, what); }

// Resolves a table for a transaction, caching the reference.
Status tx_table(Tx* tx, uint32_t id, Table** out) {
  for (auto& r : tx->refs) {
    if (r.first == id) {
      if (r.second->dropped.load(std::memory_order_relaxed)) break;
      *out = r.second.get();
      return Status();
    }
  }
  auto t = tx->db->table_by_id(id);
  if (!t) return Status(KVT_TABLE_NOT_FOUND, "table id " + std::to_string(id) + " does not exist");
  *out = t.get();
  if (tx->oneshot) {
    tx->single = std::move(t);  // one-shot reads touch one table: no vector
    return Status();
  }
  bool found = false;
  for (auto& r : tx->refs)
    if (r.first == id) { r.second = t; found = true; }
  if (!found) tx->refs.emplace_back(id, std::move(t));
  return Status();
}

WriteMap* tx_writes(Tx* tx, uint32_t id, bool create) {
  for (auto& w : tx->writes)
    if (w.id == id) return &w.m;
  if (!create) return nullptr;
  tx->writes.push_back(TableWrites{id, nullptr, {}});
  return &tx->writes.back().m;
}

// Indexes an encoded write batch into the transaction's write maps.
Status apply_now(Tx* tx, const char* data, size_t n) {
  if (n == 0) return Status();
  if (tx->read_only) return Status(KVT_READ_ONLY, "write in a read-only transaction");
  Reader r(data, n);
  while (!r.done()) {
    uint8_t op = r.u8();
    uint32_t tid = r.u32();
    uint32_t kl = r.u32();
    std::string_view k = r.bytes(kl);
    if (!r.ok()) return Status(KVT_INTERNAL, "malformed write batch");
    WriteMap* m = tx_writes(tx, tid, true);
    if (op == KVT_OP_SET) {
      uint32_t vl = r.u32();
      std::string_view v = r.bytes(vl);
      if (!r.ok()) return Status(KVT_INTERNAL, "malformed write batch");
      auto it = m->find(k);
      if (it == m->end()) {
        m->emplace(std::string(k), Pending{false, std::string(v)});
      } else {
        it->second.del = false;
        it->second.val.assign(v.data(), v.size());
      }
    } else if (op == KVT_OP_DELETE) {
      auto it = m->find(k);
      if (it == m->end()) {
        m->emplace(std::string(k), Pending{true, {}});
      } else {
        it->second.del = true;
        it->second.val.clear();
      }
    } else {
      return Status(KVT_INTERNAL, "malformed write batch op");
    }
  }
  return Status();
}

// Applies the writes deferred by kvt_tx_apply, then batch: every read
// calls it first, so reads see all the transaction's writes.
Status apply_batch(Tx* tx, const char* data, size_t n) {
  if (!tx->deferred.empty()) {
    std::string d = std::move(tx->deferred);
    tx->deferred.clear();
    Status s = apply_now(tx, d.data(), d.size());
    if (!s.ok()) return s;
  }
  return apply_now(tx, data, n);
}

// Keeps an early-flushed write batch unindexed: a transaction that writes
// without reading again (bulk loads) never builds write maps, and its
// commit sorts the raw writes once (collect_writes).
Status defer_batch(Tx* tx, const char* data, size_t n) {
  if (n == 0) return Status();
  if (tx->read_only) return Status(KVT_READ_ONLY, "write in a read-only transaction");
  tx->deferred.append(data, n);
  return Status();
}

inline void record_read(Tx* tx, Table* t, const char* k, size_t n) {
  tx->reads.push_back(ReadRec{t, uint32_t(tx->read_keys.size()), uint32_t(n)});
  tx->read_keys.append(k, n);
}

inline uint64_t read_snap(Tx* tx) { return tx->oneshot ? tx->db->visible_ts.load(std::memory_order_acquire) : tx->snap; }

inline Status too_old(Tx* tx) {
  return Status(KVT_TX_TOO_OLD, "transaction snapshot " + std::to_string(tx->snap) +
                                    " is older than the garbage-collection horizon " +
                                    std::to_string(tx->db->gc_horizon.load()));
}

// Looks a key up under the table latch held by the caller.
// Returns 1 found (val set), 0 absent.
inline int lookup_locked(Table* t, uint64_t snap, const char* k, size_t n, const char** val, uint32_t* vlen) {
  Version** pv = t->find(k, n, true);
  if (!pv) return 0;
  Version* v = visible_at(t->head(pv), snap);
  if (!v || v->tomb()) return 0;
  *val = v->val();
  *vlen = v->vlen;
  return 1;
}

Status do_get(Tx* tx, uint32_t tid, const char* k, size_t n, char* out, size_t cap, size_t* vlen) {
  Table* t;
  Status s = tx_table(tx, tid, &t);
  if (!s.ok()) return s;
  if (WriteMap* m = tx_writes(tx, tid, false)) {
    auto it = m->find(std::string_view(k, n));
    if (it != m->end()) {
      if (it->second.del) return Status(KVT_KEY_NOT_FOUND);
      *vlen = it->second.val.size();
      if (it->second.val.size() > cap) return Status(KVT_BUFFER_TOO_SMALL);
      if (!it->second.val.empty()) memcpy(out, it->second.val.data(), it->second.val.size());
      return Status();
    }
  }
  int found;
  {
    std::shared_lock<std::shared_mutex> g(t->latch);
    if (!tx->oneshot && tx->snap < tx->db->gc_horizon.load(std::memory_order_acquire)) return too_old(tx);
    const char* val = nullptr;
    uint32_t vl = 0;
    found = lookup_locked(t, read_snap(tx), k, n, &val, &vl);
    if (found) {
      *vlen = vl;
      if (vl && vl <= cap) memcpy(out, val, vl);
    }
  }
  if (tx->track_reads()) record_read(tx, t, k, n);
  if (!found) return Status(KVT_KEY_NOT_FOUND);
  if (*vlen > cap) return Status(KVT_BUFFER_TOO_SMALL);
  return Status();
}

// Reads the keys in batches whose lookups advance stage by stage (see
// Index::Probe), so that their cache misses overlap. Results go to out while
// they fit in cap; from the first one that does not, everything is in
// *spill instead (so the keys are looked up once, at one snapshot, whatever
// the caller's guess of the size). *spill is empty unless that happened.
Status do_multiget(Tx* tx, uint32_t tid, const char* keys, size_t kn, char* out, size_t cap, size_t* used,
                   std::string* spill) {
  Table* t;
  Status s = tx_table(tx, tid, &t);
  if (!s.ok()) return s;
  WriteMap* m = tx_writes(tx, tid, false);
  if (m && m->empty()) m = nullptr;
  size_t need = 0;
  bool spilled = false;
  Reader r(keys, kn);
  std::shared_lock<std::shared_mutex> g(t->latch);
  if (!tx->oneshot && tx->snap < tx->db->gc_horizon.load(std::memory_order_acquire)) return too_old(tx);
  uint64_t snap = read_snap(tx);
  constexpr int kBatch = 16;
  struct Item {
    Index::Probe q;
    int local;  // 0: look up in the index; 1: own write, found; 2: own deletion
    const char* val;
    uint32_t vl;
  };
  Item items[kBatch];
  const bool hashed = t->hashed();
  while (!r.done()) {
    int nb = 0;
    while (nb < kBatch && !r.done()) {
      uint32_t kl = r.u32();
      std::string_view k = r.bytes(kl);
      if (!r.ok()) return Status(KVT_INTERNAL, "malformed key list");
      Item& it = items[nb++];
      it.q.k = k.data();
      it.q.n = k.size();
      it.local = 0;
      if (m) {
        auto w = m->find(k);
        if (w != m->end()) {
          it.local = w->second.del ? 2 : 1;
          it.val = w->second.val.data();
          it.vl = uint32_t(w->second.val.size());
        }
      }
    }
    if (hashed) {
      for (int i = 0; i < nb; i++)
        if (!items[i].local) t->hidx.prefetch(items[i].q.k, items[i].q.n);
    } else {
      for (int i = 0; i < nb; i++)
        if (!items[i].local) t->idx.probe_start(items[i].q);
      for (int i = 0; i < nb; i++)
        if (!items[i].local) t->idx.probe_leaf(items[i].q);
      for (int i = 0; i < nb; i++)
        if (!items[i].local) t->idx.probe_slots(items[i].q, true);
    }
    for (int i = 0; i < nb; i++) {
      Item& it = items[i];
      const char* val = nullptr;
      uint32_t vl = 0;
      int found = 0;
      if (it.local) {
        found = it.local == 1;
        val = it.val;
        vl = it.vl;
      } else {
        Version** pv = hashed ? t->hidx.find(it.q.k, it.q.n, true) : t->idx.probe_end(it.q);
        Version* v = pv ? visible_at(t->head(pv), snap) : nullptr;
        if (v && !v->tomb()) {
          found = 1;
          val = v->val();
          vl = v->vlen;
        }
        if (tx->track_reads()) record_read(tx, t, it.q.k, it.q.n);
      }
      size_t sz = found ? 5 + vl : 1;
      if (!spilled && need + sz > cap) {
        spilled = true;
        spill->reserve(2 * (need + sz));
        spill->assign(out, need);
      }
      if (spilled) {
        put8(*spill, uint8_t(found));
        if (found) {
          put32(*spill, vl);
          spill->append(val, vl);
        }
      } else {
        out[need] = char(found);
        if (found) {
          memcpy(out + need + 1, &vl, 4);
          if (vl) memcpy(out + need + 5, val, vl);
        }
      }
      need += sz;
    }
  }
  *used = need;
  return Status();
}

struct ScanOut {
  char* out;
  size_t cap;
  size_t used = 0;
  int32_t count = 0;
  int32_t more = 0;
  size_t need = 0;
  std::string peek;  // the entry that did not make it into the page
};

// Emits one entry; returns false when the scan must stop.
inline bool emit(ScanOut& o, int32_t limit, const char* k, uint32_t kl, const char* v, uint32_t vl) {
  if (o.count >= limit) {
    o.more = 1;
    o.peek.assign(k, kl);
    return false;
  }
  size_t sz = 8 + size_t(kl) + vl;
  if (o.used + sz > o.cap) {
    if (o.count == 0) o.need = sz;
    o.more = 1;
    o.peek.assign(k, kl);
    return false;
  }
  char* p = o.out + o.used;
  memcpy(p, &kl, 4);
  memcpy(p + 4, &vl, 4);
  memcpy(p + 8, k, kl);
  memcpy(p + 8 + kl, v, vl);
  o.used += sz;
  o.count++;
  return true;
}

// emit for a (visible, live) version: its key and value are adjacent, so
// one copy moves both.
inline bool emit_version(ScanOut& o, int32_t limit, Version* v) {
  uint32_t kl = uint32_t(v->klen), vl = v->vlen;
  size_t sz = 8 + size_t(kl) + vl;
  if (o.count >= limit || o.used + sz > o.cap) return emit(o, limit, v->key(), kl, v->val(), vl);
  char* p = o.out + o.used;
  memcpy(p, &kl, 4);
  memcpy(p + 4, &vl, 4);
  memcpy(p + 8, v->data(), sz - 8);
  o.used += sz;
  o.count++;
  return true;
}

Status do_scan(Tx* tx, uint32_t tid, std::string_view start, std::string_view end, bool end_inf, int32_t limit,
               bool reverse, ScanOut& o) {
  Table* t;
  Status s = tx_table(tx, tid, &t);
  if (!s.ok()) return s;
  if (t->method != KVT_METHOD_RANGE)
    return Status(KVT_NOT_RANGE_TABLE, "table '" + t->name + "' is a hash table; scans need a range table");
  if (limit <= 0) return bad("scan limit must be positive");
  WriteMap* m = tx_writes(tx, tid, false);
  bool empty_range = !end_inf && keycmp(start, end) >= 0;
  {
    std::shared_lock<std::shared_mutex> g(t->latch);
    if (!tx->oneshot && tx->snap < tx->db->gc_horizon.load(std::memory_order_acquire)) return too_old(tx);
    uint64_t snap = read_snap(tx);
    Index& ix = t->idx;
    if (empty_range) {
      // nothing
    } else if (!reverse && !m) {
      // No writes of the transaction to merge: walk the leaves directly.
      // Keys whose prefix is below the end's are below the end: the bound
      // needs the version only on a prefix tie. Versions are prefetched a
      // few slots ahead, across leaf boundaries (relocated ranges are
      // contiguous anyway, see relocate_leaf).
      uint64_t ep = end_inf ? 0 : key_prefix(end.data(), end.size());
      Index::Pos p = ix.lower_bound(start.data(), start.size());
      constexpr int kAhead = 6;
      for (size_t li = p.leaf, nl = ix.leaf_count(); li < nl; li++) {
        const Leaf* lf = ix.leaf(li);
        const Leaf* nx = li + 1 < nl ? ix.leaf(li + 1) : nullptr;
        int j = li == p.leaf ? p.slot : 0;
        bool stop = false;
        for (; j < lf->n; j++) {
          const Slot& sl = lf->s[j];
          if (!end_inf && sl.prefix >= ep &&
              (sl.prefix > ep || keycmp(sl.v->key(), sl.v->klen, end.data(), end.size()) >= 0)) {
            stop = true;
            break;
          }
          const Version* pf = nullptr;
          if (j + kAhead < lf->n)
            pf = lf->s[j + kAhead].v;
          else if (nx && j + kAhead - lf->n < nx->n)
            pf = nx->s[j + kAhead - lf->n].v;
          if (pf) {
            __builtin_prefetch(pf);
            __builtin_prefetch(reinterpret_cast<const char*>(pf) + 64);
            __builtin_prefetch(reinterpret_cast<const char*>(pf) + 128);
          }
          Version* v = sl.v;
          if (v->ts > snap) v = visible_at(v, snap);
          if (v && !v->tomb() && !emit_version(o, limit, v)) {
            stop = true;
            break;
          }
        }
        if (stop) break;
      }
    } else if (!reverse) {
      Index::Pos p = ix.lower_bound(start.data(), start.size());
      WriteMap::iterator wi, we;
      if (m) {
        wi = m->lower_bound(start);
        we = m->end();
      }
      for (;;) {
        Version* iv = nullptr;
        if (!ix.at_end(p)) {
          Slot& sl = ix.at(p);
          if (end_inf || keycmp(sl.v->key(), sl.v->klen, end.data(), end.size()) < 0) iv = sl.v;
          Leaf* lf = ix.leaf(p.leaf);
          if (p.slot + 8 < lf->n) {
            __builtin_prefetch(lf->s[p.slot + 8].v);
            __builtin_prefetch(reinterpret_cast<char*>(lf->s[p.slot + 8].v) + 64);
          }
        }
        bool wv = false;
        if (m && wi != we && (end_inf || keycmp(wi->first, end) < 0)) wv = true;
        if (!iv && !wv) break;
        int c = 0;
        if (iv && wv) c = keycmp(iv->key(), iv->klen, wi->first.data(), wi->first.size());
        if (wv && (!iv || c >= 0)) {
          if (!wi->second.del &&
              !emit(o, limit, wi->first.data(), uint32_t(wi->first.size()), wi->second.val.data(),
                    uint32_t(wi->second.val.size())))
            break;
          ++wi;
          if (iv && c == 0) ix.next(p);
        } else {
          Version* v = visible_at(iv, snap);
          if (v && !v->tomb() && !emit_version(o, limit, v)) break;
          ix.next(p);
        }
      }
    } else {
      Index::Pos p = end_inf ? ix.end_pos() : ix.lower_bound(end.data(), end.size());
      bool ivalid = ix.prev(p);
      WriteMap::iterator wi;
      bool wvalid = false;
      if (m) {
        wi = end_inf ? m->end() : m->lower_bound(end);
        if (wi != m->begin()) {
          --wi;
          wvalid = true;
        }
      }
      for (;;) {
        Version* iv = nullptr;
        if (ivalid) {
          Slot& sl = ix.at(p);
          if (keycmp(sl.v->key(), sl.v->klen, start.data(), start.size()) >= 0) iv = sl.v;
        }
        bool wv = wvalid && keycmp(wi->first, start) >= 0;
        if (!iv && !wv) break;
        int c = 0;
        if (iv && wv) c = keycmp(iv->key(), iv->klen, wi->first.data(), wi->first.size());
        if (wv && (!iv || c <= 0)) {
          if (!wi->second.del &&
              !emit(o, limit, wi->first.data(), uint32_t(wi->first.size()), wi->second.val.data(),
                    uint32_t(wi->second.val.size())))
            break;
          if (wi == m->begin())
            wvalid = false;
          else
            --wi;
          if (iv && c == 0) ivalid = ix.prev(p);
        } else {
          Version* v = visible_at(iv, snap);
          if (v && !v->tomb() && !emit_version(o, limit, v)) break;
          ivalid = ix.prev(p);
        }
      }
    }
  }
  if (o.count == 0 && o.need > 0) return Status(KVT_BUFFER_TOO_SMALL);
  if (tx->track_reads()) {
    // The range read runs to the entry that stopped the page: "more" tells
    // the caller that entry exists, so its key is validated too.
    RangeRec rr{t, {}, {}, false};
    if (!reverse) {
      rr.lo.assign(start.data(), start.size());
      if (o.more) {
        rr.hi = o.peek;
        rr.hi.push_back('\0');
      } else {
        rr.hi.assign(end.data(), end.size());
        rr.hi_inf = end_inf;
      }
    } else {
      rr.lo = o.more ? o.peek : std::string(start);
      rr.hi.assign(end.data(), end.size());
      rr.hi_inf = end_inf;
    }
    tx->ranges.push_back(std::move(rr));
  }
  return Status();
}

// Counts the visible keys of each range [start, end) (end_inf: no upper
// bound) of a packed range list, merged with the transaction's own writes,
// under one latch acquisition. Each counted range is a read: when reads are
// tracked it is recorded whole for phantom validation, as a scan that ran to
// its end would be.
Status do_count_ranges(Tx* tx, uint32_t tid, const char* data, size_t n, int64_t* counts, size_t nranges) {
  Table* t;
  Status s = tx_table(tx, tid, &t);
  if (!s.ok()) return s;
  if (t->method != KVT_METHOD_RANGE)
    return Status(KVT_NOT_RANGE_TABLE, "table '" + t->name + "' is a hash table; counts need a range table");
  struct R {
    std::string_view lo, hi;
    bool inf;
  };
  thread_local std::vector<R> rs;
  rs.clear();
  Reader r(data, n);
  while (!r.done()) {
    R x;
    x.lo = r.bytes(r.u32());
    x.inf = r.u8() != 0;
    x.hi = r.bytes(r.u32());
    if (!r.ok()) return Status(KVT_INTERNAL, "malformed range list");
    rs.push_back(x);
  }
  if (rs.size() != nranges) return bad("range list and count array lengths differ");
  WriteMap* m = tx_writes(tx, tid, false);
  if (m && m->empty()) m = nullptr;
  {
    std::shared_lock<std::shared_mutex> g(t->latch);
    if (!tx->oneshot && tx->snap < tx->db->gc_horizon.load(std::memory_order_acquire)) return too_old(tx);
    uint64_t snap = read_snap(tx);
    Index& ix = t->idx;
    for (size_t i = 0; i < rs.size(); i++) {
      const R& x = rs[i];
      int64_t c = 0;
      if (!x.inf && keycmp(x.lo, x.hi) >= 0) {
        counts[i] = 0;
        continue;
      }
      // Keys whose 8-byte prefix is below the end's prefix are below the end
      // (prefix order agrees with key order when prefixes differ): the
      // comparison needs the version only on a prefix tie.
      uint64_t hp = x.inf ? 0 : key_prefix(x.hi.data(), x.hi.size());
      Index::Pos p = ix.lower_bound(x.lo.data(), x.lo.size());
      if (!m) {
        while (!ix.at_end(p)) {
          Leaf* lf = ix.leaf(p.leaf);
          int j = p.slot;
          for (; j < lf->n; j++) {
            const Slot& sl = lf->s[j];
            if (!x.inf && sl.prefix >= hp &&
                (sl.prefix > hp || keycmp(sl.v->key(), sl.v->klen, x.hi.data(), x.hi.size()) >= 0))
              break;
            if (j + 8 < lf->n) __builtin_prefetch(lf->s[j + 8].v);
            Version* v = sl.v;
            if (v->ts > snap) v = visible_at(v, snap);
            if (v && !v->tomb()) c++;
          }
          if (j < lf->n) break;
          p.leaf++;
          p.slot = 0;
        }
      } else {
        auto wi = m->lower_bound(x.lo);
        auto we = x.inf ? m->end() : m->lower_bound(x.hi);
        for (;;) {
          Version* iv = nullptr;
          if (!ix.at_end(p)) {
            const Slot& sl = ix.at(p);
            if (x.inf || sl.prefix < hp ||
                (sl.prefix == hp && keycmp(sl.v->key(), sl.v->klen, x.hi.data(), x.hi.size()) < 0))
              iv = sl.v;
          }
          bool wv = wi != we;
          if (!iv && !wv) break;
          int cmp = 0;
          if (iv && wv) cmp = keycmp(iv->key(), iv->klen, wi->first.data(), wi->first.size());
          if (wv && (!iv || cmp >= 0)) {
            if (!wi->second.del) c++;
            ++wi;
            if (iv && cmp == 0) ix.next(p);
          } else {
            Version* v = visible_at(iv, snap);
            if (v && !v->tomb()) c++;
            ix.next(p);
          }
        }
      }
      counts[i] = c;
    }
  }
  if (tx->track_reads()) {
    for (const R& x : rs) {
      if (!x.inf && keycmp(x.lo, x.hi) >= 0) continue;
      tx->ranges.push_back(RangeRec{t, std::string(x.lo), std::string(x.hi), x.inf});
    }
  }
  return Status();
}

void tx_release(Tx* tx) {
  DB* db = tx->db;
  std::lock_guard<std::mutex> g(db->snap_mu);
  if (tx->registered) {
    db->snaps.remove(tx->snap);
    tx->registered = false;
  }
  if (tx->live_prev || db->live == tx) {
    if (tx->live_prev)
      tx->live_prev->live_next = tx->live_next;
    else
      db->live = tx->live_next;
    if (tx->live_next) tx->live_next->live_prev = tx->live_prev;
    tx->live_prev = tx->live_next = nullptr;
    db->n_live--;
  }
}

// WriteRef is one deduplicated write of a committing transaction; the views
// point into the transaction's write maps or into the commit call's batch.
struct WriteRef {
  uint32_t tid;
  Table* t;
  std::string_view k;
  std::string_view v;
  bool del;
};

// Collects the transaction's writes, sorted by (table, key), last write of a
// key winning. Without earlier flushed writes the batch is parsed in place
// (no maps, no copies).
Status collect_writes(Tx* tx, const char* batch, size_t n, std::vector<WriteRef>& out) {
  if (n > 0 && tx->read_only) return Status(KVT_READ_ONLY, "write in a read-only transaction");
  bool maps = false;
  for (auto& w : tx->writes)
    if (!w.m.empty()) maps = true;
  if (maps) {
    Status s = apply_batch(tx, batch, n);
    if (!s.ok()) return s;
    std::sort(tx->writes.begin(), tx->writes.end(), [](const TableWrites& a, const TableWrites& b) { return a.id < b.id; });
    for (auto& w : tx->writes)
      for (auto& kv : w.m)
        out.push_back(WriteRef{w.id, nullptr, kv.first, kv.second.val, kv.second.del});
  } else {
    // Deferred writes first, then the commit's batch: stable sorting keeps
    // that order among writes of one key, and the last one wins.
    auto parse = [&](const char* data, size_t len) {
      Reader r(data, len);
      while (!r.done()) {
        uint8_t op = r.u8();
        uint32_t tid = r.u32();
        std::string_view k = r.bytes(r.u32());
        std::string_view v;
        if (op == KVT_OP_SET)
          v = r.bytes(r.u32());
        else if (op != KVT_OP_DELETE)
          return Status(KVT_INTERNAL, "malformed write batch op");
        if (!r.ok()) return Status(KVT_INTERNAL, "malformed write batch");
        out.push_back(WriteRef{tid, nullptr, k, v, op == KVT_OP_DELETE});
      }
      return Status();
    };
    Status s = parse(tx->deferred.data(), tx->deferred.size());
    if (!s.ok()) return s;
    s = parse(batch, n);
    if (!s.ok()) return s;
    if (out.size() > 1) {
      std::stable_sort(out.begin(), out.end(), [](const WriteRef& a, const WriteRef& b) {
        if (a.tid != b.tid) return a.tid < b.tid;
        return keycmp(a.k, b.k) < 0;
      });
      size_t w = 0;
      for (size_t i = 0; i < out.size(); i++) {
        if (i + 1 < out.size() && out[i + 1].tid == out[i].tid && out[i + 1].k == out[i].k) continue;
        out[w++] = out[i];
      }
      out.resize(w);
    }
  }
  Table* t = nullptr;
  uint32_t last = 0;
  for (auto& w : out) {
    if (!t || w.tid != last) {
      Status s = tx_table(tx, w.tid, &t);
      if (!s.ok()) return s;
      last = w.tid;
    }
    w.t = t;
  }
  return Status();
}

// Validates the transaction under commit_mu. Returns a conflict status or ok.
Status validate(Tx* tx, const std::vector<WriteRef>& writes) {
  uint64_t snap = tx->snap;
  for (size_t i = 0; i < writes.size();) {
    Table* t = writes[i].t;
    std::shared_lock<std::shared_mutex> g(t->latch);
    for (; i < writes.size() && writes[i].t == t; i++) {
      Version** pv = t->find(writes[i].k.data(), writes[i].k.size());
      if (pv && t->head(pv)->ts > snap)
        return Status(KVT_CONFLICT, "write-write conflict on a key of table '" + t->name + "'");
    }
  }
  if (!tx->serializable) return Status();
  for (auto& r : tx->reads) {
    Table* t = r.t;
    std::shared_lock<std::shared_mutex> g(t->latch);
    if (t->dropped.load()) return Status(KVT_CONFLICT, "table '" + t->name + "' was dropped");
    Version** pv = t->find(tx->read_keys.data() + r.off, r.len);
    if (pv && t->head(pv)->ts > snap)
      return Status(KVT_CONFLICT, "read-write conflict: a key read from table '" + t->name +
                                      "' changed after the transaction started");
  }
  for (auto& rr : tx->ranges) {
    Table* t = rr.t;
    std::shared_lock<std::shared_mutex> g(t->latch);
    if (t->dropped.load()) return Status(KVT_CONFLICT, "table '" + t->name + "' was dropped");
    Index& ix = t->idx;
    for (Index::Pos p = ix.lower_bound(rr.lo.data(), rr.lo.size()); !ix.at_end(p); ix.next(p)) {
      Slot& sl = ix.at(p);
      if (!rr.hi_inf && keycmp(sl.v->key(), sl.v->klen, rr.hi.data(), rr.hi.size()) >= 0) break;
      if (sl.v->ts > snap)
        return Status(KVT_CONFLICT, "phantom: a key in a range scanned from table '" + t->name +
                                        "' changed after the transaction started");
    }
  }
  return Status();
}

Status do_commit(Tx* tx, const char* batch, size_t n, uint64_t* cts, bool* need_wait) {
  DB* db = tx->db;
  thread_local std::vector<WriteRef> writes;
  writes.clear();
  Status s = collect_writes(tx, batch, n, writes);
  if (!s.ok()) return s;
  if (writes.empty()) {
    *cts = tx->snap;
    return Status();
  }
  std::unique_lock<std::mutex> cl(db->commit_mu);
  if (db->fenced.load()) return db->fenced_status();
  if (tx->snap < db->gc_horizon.load()) return too_old(tx);
  for (auto& w : writes)
    if (w.t->dropped.load())
      return Status(KVT_TABLE_NOT_FOUND, "table '" + w.t->name + "' was dropped before commit");
  Status v = validate(tx, writes);
  if (!v.ok()) {
    db->n_conflicts.fetch_add(1, std::memory_order_relaxed);
    return v;
  }
  uint64_t ts = ++db->last_ts;
  uint64_t horizon = db->compute_horizon();
  thread_local std::string rec;
  rec.clear();
  if (db->wal) {
    put8(rec, 1);
    put64(rec, ts);
    put32(rec, uint32_t(writes.size()));
  }
  uint64_t garbage = 0, inserted = 0;
  for (size_t i = 0; i < writes.size();) {
    Table* t = writes[i].t;
    std::unique_lock<std::shared_mutex> g(t->latch);
    for (; i < writes.size() && writes[i].t == t; i++) {
      const WriteRef& w = writes[i];
      if (db->wal) {
        put8(rec, w.del ? KVT_OP_DELETE : KVT_OP_SET);
        put32(rec, w.tid);
        put32(rec, uint32_t(w.k.size()));
        rec.append(w.k.data(), w.k.size());
        if (!w.del) {
          put32(rec, uint32_t(w.v.size()));
          rec.append(w.v.data(), w.v.size());
        }
      }
      uint32_t vl = w.del ? kTomb : uint32_t(w.v.size());
      Version* nv = db->new_version(w.k.data(), uint32_t(w.k.size()), w.v.data(), vl, ts);
      // A deletion is installed as a tombstone even when the key is absent:
      // it is a write, and concurrent writers of the key must conflict.
      Version** pv = t->find_or_insert(w.k.data(), w.k.size(), nv);
      if (!pv) {
        if (w.del) garbage++;
        if (!t->hashed()) inserted++;  // hash tables are not relocated
        continue;
      }
      nv->older = t->head(pv);
      t->set_head(pv, nv);
      db->prune(nv, horizon, 64);
      if (nv->older || w.del) garbage++;
    }
  }
  if (garbage) db->garbage_hint.fetch_add(garbage, std::memory_order_relaxed);
  if (inserted) db->insert_hint.fetch_add(inserted, std::memory_order_relaxed);
  db->n_commits.fetch_add(1, std::memory_order_relaxed);
  bool wait = false;
  if (db->wal) {
    wal_append_locked(db->wal.get(), rec, ts);
    wait = db->opts.sync_mode == KVT_SYNC_ALWAYS;
  }
  if (!wait) db->visible_ts.store(ts, std::memory_order_release);
  cl.unlock();
  *cts = ts;
  *need_wait = wait;
  return Status();
}

kvt_status to_c(const Status& s) {
  kvt_status r;
  r.code = s.code;
  r.msg = nullptr;
  if (!s.msg.empty()) {
    r.msg = static_cast<char*>(malloc(s.msg.size() + 1));
    memcpy(r.msg, s.msg.data(), s.msg.size() + 1);
  }
  return r;
}

inline kvt_status ok_c() { return kvt_status{KVT_OK, nullptr}; }

// A kvt_result carrying s (as to_c) and n.
inline kvt_result res_c(const Status& s, uint64_t n) {
  kvt_result r{};
  kvt_status st = to_c(s);
  r.code = st.code;
  r.msg = st.msg;
  r.n = n;
  return r;
}

Status check_key(size_t n) {
  if (n == 0) return bad("empty key");
  if (n > 0xffff) return bad("key longer than 65535 bytes");
  return Status();
}

}  // namespace

// DDL -----------------------------------------------------------------

static Status create_table(DB* db, std::string name, int method, uint32_t* id) {
  if (name.empty() || name.size() > 0xffff) return Status(KVT_INVALID_ARGUMENT, "table name must be 1..65535 bytes");
  if (method != KVT_METHOD_HASH && method != KVT_METHOD_RANGE)
    return Status(KVT_INVALID_ARGUMENT, "partition method must be hash or range");
  std::unique_lock<std::mutex> cl(db->commit_mu);
  if (db->fenced.load()) return db->fenced_status();
  {
    std::shared_lock<std::shared_mutex> g(db->cat_mu);
    if (db->by_name.count(name)) return Status(KVT_TABLE_EXISTS, "table '" + name + "' already exists");
  }
  uint32_t tid = db->next_table_id;
  install_create(db, tid, method, name);
  uint64_t ts = ++db->last_ts;
  bool wait = false;
  if (db->wal) {
    std::string rec;
    put8(rec, 2);
    put64(rec, ts);
    put32(rec, tid);
    put8(rec, uint8_t(method));
    put16(rec, uint16_t(name.size()));
    rec += name;
    wal_append_locked(db->wal.get(), rec, ts);
    wait = db->opts.sync_mode == KVT_SYNC_ALWAYS;
  }
  if (!wait) db->visible_ts.store(ts);
  cl.unlock();
  *id = tid;
  if (wait) return wal_wait(db, ts);
  return Status();
}

static Status drop_table(DB* db, const std::string& name) {
  std::unique_lock<std::mutex> cl(db->commit_mu);
  if (db->fenced.load()) return db->fenced_status();
  uint32_t tid;
  {
    std::shared_lock<std::shared_mutex> g(db->cat_mu);
    auto it = db->by_name.find(name);
    if (it == db->by_name.end()) return Status(KVT_TABLE_NOT_FOUND, "table '" + name + "' does not exist");
    tid = it->second;
  }
  install_drop(db, tid);
  uint64_t ts = ++db->last_ts;
  bool wait = false;
  if (db->wal) {
    std::string rec;
    put8(rec, 3);
    put64(rec, ts);
    put32(rec, tid);
    wal_append_locked(db->wal.get(), rec, ts);
    wait = db->opts.sync_mode == KVT_SYNC_ALWAYS;
  }
  if (!wait) db->visible_ts.store(ts);
  cl.unlock();
  if (wait) return wal_wait(db, ts);
  return Status();
}

}  // namespace kvt

using namespace kvt;

struct kvt_db {
  DB db;
};
struct kvt_tx {
  Tx tx;
};

extern "C" {

void kvt_free(void* p) { free(p); }

kvt_status kvt_open(kvt_borrowed_slice dir, const kvt_options* opts, kvt_db** out) {
  auto* h = new kvt_db();
  DB* db = &h->db;
  db->opts = *opts;
  if (db->opts.sync_interval_ms <= 0) db->opts.sync_interval_ms = 10;
  if (db->opts.checkpoint_log_bytes <= 0) db->opts.checkpoint_log_bytes = 64 << 20;
  if (db->opts.segment_bytes <= 0) db->opts.segment_bytes = 64 << 20;
  if (db->opts.gc_interval_ms <= 0) db->opts.gc_interval_ms = 1000;
  db->inmem = dir.len == 0;
  db->dir.assign(dir.data ? dir.data : "", dir.len);
  if (!db->inmem) {
    Status s = recover(db);
    if (!s.ok()) {
      wal_close(db);
      delete h;
      return to_c(s);
    }
  }
  db->maint = std::thread(maintenance_loop, db);
  *out = h;
  return ok_c();
}

kvt_status kvt_close(kvt_db* h) {
  DB* db = &h->db;
  {
    std::lock_guard<std::mutex> g(db->maint_mu);
    db->maint_stop = true;
  }
  db->maint_cv.notify_all();
  if (db->maint.joinable()) db->maint.join();
  Status s = wal_close(db);
  std::vector<Tx*> live;
  {
    std::lock_guard<std::mutex> g(db->snap_mu);
    for (Tx* t = db->live; t; t = t->live_next) live.push_back(t);
  }
  for (Tx* t : live) {
    tx_release(t);
    delete reinterpret_cast<kvt_tx*>(t);
  }
  {
    std::unique_lock<std::shared_mutex> g(db->cat_mu);
    db->by_id.clear();
    db->by_name.clear();
  }
  delete h;
  return to_c(s);
}

kvt_owned_buf kvt_take_log(kvt_db* h) {
  DB* db = &h->db;
  std::lock_guard<std::mutex> g(db->log_mu);
  kvt_owned_buf b{nullptr, 0};
  if (db->logs.empty()) return b;
  b.data = static_cast<char*>(malloc(db->logs.size()));
  memcpy(b.data, db->logs.data(), db->logs.size());
  b.len = db->logs.size();
  db->logs.clear();
  return b;
}

void kvt_stats_get(kvt_db* h, kvt_stats* o) {
  DB* db = &h->db;
  memset(o, 0, sizeof(*o));
  {
    std::lock_guard<std::mutex> g(db->commit_mu);
    o->last_commit_ts = db->last_ts;
  }
  o->visible_ts = db->visible_ts.load();
  o->gc_horizon = db->gc_horizon.load();
  {
    std::lock_guard<std::mutex> g(db->snap_mu);
    o->oldest_snapshot = db->snaps.empty() ? o->visible_ts : db->snaps.oldest();
    o->active_txs = db->n_live;
  }
  o->live_versions = db->live_versions.load();
  o->version_bytes = db->arena.used();
  o->arena_bytes = db->arena.reserved();
  o->commits = db->n_commits.load();
  o->conflicts = db->n_conflicts.load();
  o->checkpoints = db->n_ckpts.load();
  o->gc_sweeps = db->n_sweeps.load();
  o->versions_freed = db->n_freed.load();
  o->versions_relocated = db->n_relocated.load();
  o->leaves_relocated = db->n_leaves_relocated.load();
  o->arena_released = db->n_released.load();
  if (db->wal) {
    o->wal_syncs = db->wal->syncs.load();
    o->wal_bytes = db->wal->bytes.load();
  }
}

kvt_status kvt_create_table(kvt_db* h, kvt_borrowed_slice name, int32_t method, uint32_t* id) {
  return to_c(create_table(&h->db, std::string(name.data ? name.data : "", name.len), method, id));
}

kvt_status kvt_drop_table(kvt_db* h, kvt_borrowed_slice name) {
  return to_c(drop_table(&h->db, std::string(name.data ? name.data : "", name.len)));
}

kvt_status kvt_list_tables(kvt_db* h, kvt_owned_buf* out) {
  DB* db = &h->db;
  std::string s;
  {
    std::shared_lock<std::shared_mutex> g(db->cat_mu);
    std::vector<Table*> ts;
    for (auto& kv : db->by_id) ts.push_back(kv.second.get());
    std::sort(ts.begin(), ts.end(), [](Table* a, Table* b) { return a->id < b->id; });
    for (Table* t : ts) {
      put32(s, t->id);
      put8(s, uint8_t(t->method));
      put16(s, uint16_t(t->name.size()));
      s += t->name;
    }
  }
  out->len = s.size();
  out->data = static_cast<char*>(malloc(s.size() ? s.size() : 1));
  memcpy(out->data, s.data(), s.size());
  return ok_c();
}

kvt_begin_result kvt_begin(kvt_db* h, int32_t isolation, int32_t read_only) {
  DB* db = &h->db;
  auto* th = new kvt_tx();
  Tx* tx = &th->tx;
  tx->db = db;
  tx->serializable = isolation == KVT_SERIALIZABLE;
  tx->read_only = read_only != 0;
  {
    std::lock_guard<std::mutex> g(db->snap_mu);
    tx->snap = db->visible_ts.load();
    db->snaps.add(tx->snap);
    tx->registered = true;
    tx->live_next = db->live;
    if (db->live) db->live->live_prev = tx;
    db->live = tx;
    db->n_live++;
  }
  return kvt_begin_result{th, tx->snap};
}

kvt_status kvt_tx_apply(kvt_tx* th, kvt_borrowed_slice batch) { return to_c(defer_batch(&th->tx, batch.data, batch.len)); }

static kvt_result get_common(Tx* tx, uint32_t table, kvt_borrowed_slice key, char* out, size_t cap) {
  Status s = check_key(key.len);
  if (!s.ok()) return res_c(s, 0);
  size_t vlen = 0;
  s = do_get(tx, table, key.data, key.len, out, cap, &vlen);
  if (s.code == KVT_KEY_NOT_FOUND || s.code == KVT_BUFFER_TOO_SMALL) {
    kvt_result r{};
    r.code = s.code;
    r.n = vlen;
    return r;
  }
  return res_c(s, vlen);
}

kvt_result kvt_tx_get(kvt_tx* th, kvt_borrowed_slice batch, uint32_t table, kvt_borrowed_slice key, char* out,
                      size_t cap) {
  Status s = apply_batch(&th->tx, batch.data, batch.len);
  if (!s.ok()) return res_c(s, 0);
  return get_common(&th->tx, table, key, out, cap);
}

static kvt_result multiget_common(Tx* tx, uint32_t table, kvt_borrowed_slice keys, char* out, size_t cap) {
  size_t used = 0;
  thread_local std::string spill;
  spill.clear();
  Status s = do_multiget(tx, table, keys.data, keys.len, out, cap, &used, &spill);
  kvt_result r = res_c(s, used);
  if (s.ok() && used > cap) {
    r.owned = static_cast<char*>(malloc(spill.size()));
    if (!r.owned) abort();
    memcpy(r.owned, spill.data(), spill.size());
  }
  if (spill.capacity() > (1u << 20)) std::string().swap(spill);
  return r;
}

kvt_result kvt_tx_multiget(kvt_tx* th, kvt_borrowed_slice batch, uint32_t table, kvt_borrowed_slice keys, char* out,
                           size_t cap) {
  Status s = apply_batch(&th->tx, batch.data, batch.len);
  if (!s.ok()) return res_c(s, 0);
  return multiget_common(&th->tx, table, keys, out, cap);
}

static kvt_result scan_common(Tx* tx, uint32_t table, kvt_borrowed_slice start, kvt_borrowed_slice end,
                              int32_t end_inf, int32_t limit, int32_t reverse, char* out, size_t cap) {
  ScanOut o;
  o.out = out;
  o.cap = cap;
  Status s = do_scan(tx, table, std::string_view(start.data ? start.data : "", start.len),
                     std::string_view(end.data ? end.data : "", end.len), end_inf != 0, limit, reverse != 0, o);
  kvt_result r = res_c(s, s.code == KVT_BUFFER_TOO_SMALL ? o.need : o.used);
  r.count = o.count;
  r.flag = o.more;
  return r;
}

kvt_result kvt_tx_scan(kvt_tx* th, kvt_borrowed_slice batch, uint32_t table, kvt_borrowed_slice start,
                       kvt_borrowed_slice end, int32_t end_inf, int32_t limit, int32_t reverse, char* out,
                       size_t cap) {
  Status s = apply_batch(&th->tx, batch.data, batch.len);
  if (!s.ok()) return res_c(s, 0);
  return scan_common(&th->tx, table, start, end, end_inf, limit, reverse, out, cap);
}

kvt_status kvt_tx_count_ranges(kvt_tx* th, kvt_borrowed_slice batch, uint32_t table, kvt_borrowed_slice ranges,
                               int64_t* counts, size_t n) {
  Status s = apply_batch(&th->tx, batch.data, batch.len);
  if (!s.ok()) return to_c(s);
  return to_c(do_count_ranges(&th->tx, table, ranges.data, ranges.len, counts, n));
}

kvt_status kvt_count_ranges(kvt_db* h, uint32_t table, kvt_borrowed_slice ranges, int64_t* counts, size_t n) {
  Tx tx;
  tx.db = &h->db;
  tx.oneshot = true;
  return to_c(do_count_ranges(&tx, table, ranges.data, ranges.len, counts, n));
}

kvt_status kvt_tx_batch(kvt_tx* th, kvt_borrowed_slice ops, kvt_owned_buf* results) {
  Tx* tx = &th->tx;
  Status fs = apply_batch(tx, nullptr, 0);  // deferred writes, for the gets
  if (!fs.ok()) return to_c(fs);
  std::string res;
  Reader r(ops.data, ops.len);
  std::string val;
  while (!r.done()) {
    const char* opstart = r.p;
    uint8_t op = r.u8();
    uint32_t tid = r.u32();
    uint32_t kl = r.u32();
    std::string_view k = r.bytes(kl);
    if (!r.ok()) return to_c(Status(KVT_INTERNAL, "malformed batch"));
    Status s = check_key(kl);
    if (!s.ok()) return to_c(s);
    if (op == KVT_OP_GET) {
      size_t vl = 0;
      val.resize(256);
      s = do_get(tx, tid, k.data(), k.size(), &val[0], val.size(), &vl);
      if (s.code == KVT_BUFFER_TOO_SMALL) {
        val.resize(vl);
        s = do_get(tx, tid, k.data(), k.size(), &val[0], val.size(), &vl);
      }
      if (s.code == KVT_KEY_NOT_FOUND) {
        put8(res, 0);
      } else if (!s.ok()) {
        return to_c(s);
      } else {
        put8(res, 1);
        put32(res, uint32_t(vl));
        res.append(val.data(), vl);
      }
      continue;
    }
    if (op == KVT_OP_SET) {
      uint32_t vl = r.u32();
      r.bytes(vl);
      if (!r.ok()) return to_c(Status(KVT_INTERNAL, "malformed batch"));
    } else if (op != KVT_OP_DELETE) {
      return to_c(Status(KVT_INVALID_ARGUMENT, "unknown batch op " + std::to_string(op)));
    }
    Table* t;
    s = tx_table(tx, tid, &t);
    if (!s.ok()) return to_c(s);
    s = apply_batch(tx, opstart, size_t(r.p - opstart));
    if (!s.ok()) return to_c(s);
    put8(res, 1);
    put32(res, 0);
  }
  results->len = res.size();
  results->data = static_cast<char*>(malloc(res.size() ? res.size() : 1));
  memcpy(results->data, res.data(), res.size());
  return ok_c();
}

kvt_result kvt_tx_commit(kvt_tx* th, kvt_borrowed_slice batch) {
  Tx* tx = &th->tx;
  bool wait = false;
  uint64_t ts = 0;
  Status s = do_commit(tx, batch.data, batch.len, &ts, &wait);
  tx_release(tx);
  delete th;
  kvt_result r = res_c(s, ts);
  r.flag = wait ? 1 : 0;
  return r;
}

kvt_status kvt_wait_durable(kvt_db* h, uint64_t known, uint64_t* durable_ts) {
  DB* db = &h->db;
  if (!db->wal) {
    *durable_ts = UINT64_MAX;
    return ok_c();
  }
  Wal* w = db->wal.get();
  std::unique_lock<std::mutex> lk(w->mu);
  w->cv_done.wait(lk, [&] { return w->durable_ts > known || w->failed; });
  *durable_ts = w->durable_ts;
  if (w->durable_ts > known) return ok_c();
  return to_c(Status(KVT_IO, "commit not durable: " + w->err));
}

void kvt_tx_rollback(kvt_tx* th) {
  tx_release(&th->tx);
  delete th;
}

kvt_result kvt_get(kvt_db* h, uint32_t table, kvt_borrowed_slice key, char* out, size_t cap) {
  Tx tx;
  tx.db = &h->db;
  tx.oneshot = true;
  return get_common(&tx, table, key, out, cap);
}

kvt_result kvt_multiget(kvt_db* h, uint32_t table, kvt_borrowed_slice keys, char* out, size_t cap) {
  Tx tx;
  tx.db = &h->db;
  tx.oneshot = true;
  return multiget_common(&tx, table, keys, out, cap);
}

kvt_result kvt_scan(kvt_db* h, uint32_t table, kvt_borrowed_slice start, kvt_borrowed_slice end, int32_t end_inf,
                    int32_t limit, int32_t reverse, char* out, size_t cap) {
  Tx tx;
  tx.db = &h->db;
  tx.oneshot = true;
  return scan_common(&tx, table, start, end, end_inf, limit, reverse, out, cap);
}

kvt_status kvt_checkpoint(kvt_db* h) {
  if (h->db.inmem) return ok_c();
  return to_c(checkpoint(&h->db));
}

kvt_status kvt_gc(kvt_db* h) {
  gc_sweep(&h->db);
  malloc_trim(0);
  return ok_c();
}

kvt_status kvt_sync(kvt_db* h) {
  if (h->db.inmem) return ok_c();
  return to_c(wal_sync(&h->db));
}

void kvt_debug_fail_next_sync(kvt_db* h) {
  if (h->db.wal) h->db.wal->fail_next_sync.store(1);
}

void kvt_debug_crash_in_checkpoint(kvt_db* h) { h->db.crash_in_ckpt.store(1); }

}  // extern "C"
