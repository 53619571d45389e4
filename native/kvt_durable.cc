// kvt_durable.cc: the write-ahead log (group commit writer thread, segments),
// checkpoints, recovery and the maintenance thread of the KVT engine.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <malloc.h>

#include "kvt_internal.h"

namespace kvt {

namespace {

constexpr char kCkptMagic[8] = {'K', 'V', 'T', 'C', 'K', 'P', 'T', '1'};
constexpr size_t kFlushBytes = 1 << 20;

std::string seg_name(uint64_t n) {
  char b[64];
  snprintf(b, sizeof b, "wal-%020llu.log", static_cast<unsigned long long>(n));
  return b;
}

std::string ckpt_name(uint64_t ts, bool tmp) {
  char b[64];
  snprintf(b, sizeof b, "checkpoint-%020llu.%s", static_cast<unsigned long long>(ts), tmp ? "tmp" : "ckpt");
  return b;
}

bool parse_num(const std::string& name, const char* prefix, const char* suffix, uint64_t* n) {
  size_t pl = strlen(prefix), sl = strlen(suffix);
  if (name.size() != pl + 20 + sl) return false;
  if (name.compare(0, pl, prefix) != 0 || name.compare(pl + 20, sl, suffix) != 0) return false;
  uint64_t v = 0;
  for (size_t i = pl; i < pl + 20; i++) {
    if (name[i] < '0' || name[i] > '9') return false;
    v = v * 10 + uint64_t(name[i] - '0');
  }
  *n = v;
  return true;
}

Status io_err(const std::string& what) { return Status(KVT_IO, what + ": " + strerror(errno)); }

int fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int r = ::fsync(fd);
  ::close(fd);
  return r;
}

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= size_t(w);
  }
  return true;
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) out.emplace_back(e->d_name);
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void frame(std::string& out, const std::string& payload) {
  put32(out, uint32_t(payload.size()));
  put32(out, crc32c(payload.data(), payload.size()));
  out += payload;
}

Status open_segment(Wal* w, uint64_t n) {
  std::string path = w->dir + "/" + seg_name(n);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_err("create log segment " + path);
  if (fsync_dir(w->dir) != 0) {
    ::close(fd);
    return io_err("fsync directory " + w->dir);
  }
  w->fd = fd;
  w->seg_no = n;
  w->seg_bytes = 0;
  return Status();
}

int do_sync(Wal* w) {
  if (w->fail_next_sync.exchange(0)) {
    errno = EIO;
    return -1;
  }
  w->syncs.fetch_add(1, std::memory_order_relaxed);
  return ::fdatasync(w->fd);
}

void writer_loop(Wal* w) {
  DB* db = w->db;
  const int mode = db->opts.sync_mode;
  const auto interval = std::chrono::milliseconds(db->opts.sync_interval_ms);
  auto last_sync = std::chrono::steady_clock::now();
  bool dirty = false;
  std::string buf;
  std::unique_lock<std::mutex> lk(w->mu);
  for (;;) {
    auto wake = [&] {
      return w->stop || w->rotate_req != w->rotate_done ||
             (mode == KVT_SYNC_ALWAYS ? !w->pending.empty() : w->pending.size() >= kFlushBytes);
    };
    if (mode == KVT_SYNC_ALWAYS)
      w->cv_writer.wait(lk, wake);
    else
      w->cv_writer.wait_for(lk, mode == KVT_SYNC_INTERVAL ? interval : std::chrono::milliseconds(20), wake);
    const bool stop = w->stop;
    const uint64_t rot_target = w->rotate_req;
    const bool rotate = rot_target != w->rotate_done;
    if (w->failed) {
      w->pending.clear();
      w->rotate_done = rot_target;
      w->cv_done.notify_all();
      if (stop) break;
      continue;
    }
    buf.swap(w->pending);
    w->pending.clear();
    const uint64_t maxts = w->pending_max_ts;
    lk.unlock();

    std::string err;
    if (!buf.empty()) {
      if (!write_all(w->fd, buf.data(), buf.size())) {
        err = "write log segment " + seg_name(w->seg_no) + ": " + strerror(errno);
      } else {
        w->seg_bytes += buf.size();
        w->bytes.fetch_add(buf.size(), std::memory_order_relaxed);
        w->bytes_since_ckpt.fetch_add(buf.size(), std::memory_order_relaxed);
        dirty = true;
      }
    }
    const auto now = std::chrono::steady_clock::now();
    bool rotate_now = rotate || w->seg_bytes >= uint64_t(db->opts.segment_bytes);
    bool need_sync = dirty && (mode == KVT_SYNC_ALWAYS || stop || rotate_now ||
                               (mode == KVT_SYNC_INTERVAL && now - last_sync >= interval));
    if (err.empty() && need_sync) {
      if (do_sync(w) != 0) {
        err = "fdatasync log segment " + seg_name(w->seg_no) + ": " + strerror(errno);
      } else {
        dirty = false;
        last_sync = now;
      }
    }
    if (err.empty() && rotate_now && !stop) {
      ::close(w->fd);
      w->fd = -1;
      Status s = open_segment(w, w->seg_no + 1);
      if (!s.ok()) err = s.msg;
    }
    if (buf.capacity() > (8u << 20)) std::string().swap(buf);
    buf.clear();

    lk.lock();
    if (!err.empty()) {
      w->failed = true;
      w->err = err;
      db->fence(err);
      db->log('E', "kvt: " + err + "; the engine now refuses writes until reopened");
    } else if (maxts > w->durable_ts) {
      w->durable_ts = maxts;
      if (mode == KVT_SYNC_ALWAYS) db->visible_ts.store(maxts, std::memory_order_release);
    }
    if (rotate) {
      w->rotate_done = rot_target;
      w->rotate_seg = w->seg_no;
    }
    w->cv_done.notify_all();
    if (stop && w->pending.empty()) break;
  }
}

// ---------------------------------------------------------------- replay

// Parses and applies one log record. Returns false when it is malformed.
bool replay_record(DB* db, const char* p, size_t n, uint64_t min_ts, uint64_t* ts_out) {
  Reader r(p, n);
  uint8_t type = r.u8();
  uint64_t ts = r.u64();
  if (!r.ok()) return false;
  *ts_out = ts;
  if (type == 1) {
    uint32_t nops = r.u32();
    const char* ops = r.p;
    // Validate the whole record before applying any of it.
    for (uint32_t i = 0; i < nops && r.ok(); i++) {
      uint8_t op = r.u8();
      r.u32();
      r.bytes(r.u32());
      if (op == KVT_OP_SET)
        r.bytes(r.u32());
      else if (op != KVT_OP_DELETE)
        return false;
    }
    if (!r.ok() || !r.done()) return false;
    if (ts <= min_ts) return true;
    Reader a(ops, size_t(r.p - ops));
    for (uint32_t i = 0; i < nops; i++) {
      uint8_t op = a.u8();
      uint32_t tid = a.u32();
      uint32_t kl = a.u32();
      std::string_view k = a.bytes(kl);
      std::string_view v;
      if (op == KVT_OP_SET) v = a.bytes(a.u32());
      auto t = db->table_by_id(tid);
      if (!t) continue;
      Version** pv = t->find(k.data(), k.size());
      Version* nv = db->new_version(k.data(), kl, v.data(), op == KVT_OP_SET ? uint32_t(v.size()) : kTomb, ts);
      if (pv) {
        nv->older = t->head(pv);
        t->set_head(pv, nv);
        db->prune(nv, ts);
      } else {
        t->insert(k.data(), k.size(), nv);
      }
    }
    return true;
  }
  if (type == 2) {
    uint32_t id = r.u32();
    uint8_t method = r.u8();
    std::string_view name = r.bytes(r.u16());
    if (!r.ok() || !r.done()) return false;
    if (ts > min_ts) install_create(db, id, method, std::string(name));
    return true;
  }
  if (type == 3) {
    uint32_t id = r.u32();
    if (!r.ok() || !r.done()) return false;
    if (ts > min_ts) install_drop(db, id);
    return true;
  }
  return false;
}

bool read_file(const std::string& path, std::string* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    ::close(fd);
    return false;
  }
  out->resize(size_t(st.st_size));
  size_t off = 0;
  while (off < out->size()) {
    ssize_t n = ::read(fd, &(*out)[off], out->size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    off += size_t(n);
  }
  ::close(fd);
  out->resize(off);
  return true;
}

void clear_catalog(DB* db) {
  std::unique_lock<std::shared_mutex> g(db->cat_mu);
  db->by_id.clear();
  db->by_name.clear();
  db->next_table_id = 1;
}

Status load_checkpoint(DB* db, const std::string& path, uint64_t* ts_out, uint64_t* first_seg) {
  std::string data;
  if (!read_file(path, &data)) return io_err("read " + path);
  if (data.size() < 8 || memcmp(data.data(), kCkptMagic, 8) != 0) return Status(KVT_CORRUPT, "bad magic");
  size_t off = 8;
  uint64_t ts = 0, total = 0;
  bool header = false;
  while (off + 8 <= data.size()) {
    uint32_t len = get32(&data[off]);
    uint32_t crc = get32(&data[off + 4]);
    if (len > data.size() - off - 8) return Status(KVT_CORRUPT, "truncated block at offset " + std::to_string(off));
    const char* p = &data[off + 8];
    if (crc32c(p, len) != crc) return Status(KVT_CORRUPT, "checksum mismatch at offset " + std::to_string(off));
    off += 8 + len;
    Reader r(p, len);
    uint8_t type = r.u8();
    if (type == 1) {
      ts = r.u64();
      *first_seg = r.u64();
      uint32_t next_id = r.u32();
      uint32_t nt = r.u32();
      for (uint32_t i = 0; i < nt && r.ok(); i++) {
        uint32_t id = r.u32();
        uint8_t m = r.u8();
        std::string_view name = r.bytes(r.u16());
        if (r.ok()) install_create(db, id, m, std::string(name));
      }
      if (!r.ok()) return Status(KVT_CORRUPT, "malformed header");
      db->next_table_id = std::max(db->next_table_id, next_id);
      header = true;
    } else if (type == 2 && header) {
      uint32_t tid = r.u32();
      uint32_t cnt = r.u32();
      auto t = db->table_by_id(tid);
      if (!t) return Status(KVT_CORRUPT, "entries for unknown table " + std::to_string(tid));
      for (uint32_t i = 0; i < cnt; i++) {
        uint32_t kl = r.u32();
        std::string_view k = r.bytes(kl);
        uint32_t vl = r.u32();
        std::string_view v = r.bytes(vl);
        if (!r.ok() || kl == 0) return Status(KVT_CORRUPT, "malformed entries block");
        if (t->hashed()) {
          if (t->hidx.find(k.data(), k.size())) return Status(KVT_CORRUPT, "duplicate key");
          t->hidx.insert(db->new_version(k.data(), kl, v.data(), vl, ts));
          total++;
          continue;
        }
        if (t->idx.count() > 0) {
          Leaf* l = t->idx.leaf(t->idx.leaf_count() - 1);
          Version* last = l->s[l->n - 1].v;
          if (keycmp(last->key(), last->klen, k.data(), k.size()) >= 0)
            return Status(KVT_CORRUPT, "keys out of order");
        }
        t->idx.append(db->new_version(k.data(), kl, v.data(), vl, ts));
        total++;
      }
    } else if (type == 3 && header) {
      uint64_t want = r.u64();
      if (!r.ok() || want != total) return Status(KVT_CORRUPT, "entry count mismatch");
      *ts_out = ts;
      return Status();
    } else {
      return Status(KVT_CORRUPT, "unexpected block type " + std::to_string(type));
    }
  }
  return Status(KVT_CORRUPT, "missing footer (incomplete checkpoint)");
}

}  // namespace

// ---------------------------------------------------------------- wal api

void wal_append_locked(Wal* w, const std::string& payload, uint64_t ts) {
  std::lock_guard<std::mutex> g(w->mu);
  frame(w->pending, payload);
  w->pending_max_ts = ts;
  if (w->db->opts.sync_mode == KVT_SYNC_ALWAYS || w->pending.size() >= kFlushBytes) w->cv_writer.notify_one();
}

Status wal_wait(DB* db, uint64_t ts) {
  Wal* w = db->wal.get();
  std::unique_lock<std::mutex> lk(w->mu);
  w->cv_done.wait(lk, [&] { return w->durable_ts >= ts || w->failed; });
  if (w->durable_ts >= ts) return Status();
  return Status(KVT_IO, "commit not durable: " + w->err);
}

static Status wal_rotate(DB* db, uint64_t* seg) {
  Wal* w = db->wal.get();
  std::unique_lock<std::mutex> lk(w->mu);
  if (w->failed) return Status(KVT_IO, w->err);
  uint64_t target = ++w->rotate_req;
  w->cv_writer.notify_one();
  w->cv_done.wait(lk, [&] { return w->rotate_done >= target || w->failed; });
  if (w->failed) return Status(KVT_IO, w->err);
  *seg = w->rotate_seg;
  return Status();
}

Status wal_sync(DB* db) {
  uint64_t seg;
  // A rotation flushes and syncs everything appended so far.
  std::lock_guard<std::mutex> g(db->commit_mu);
  if (db->fenced.load()) return db->fenced_status();
  return wal_rotate(db, &seg);
}

Status wal_open(DB* db, uint64_t seg) {
  auto w = std::make_unique<Wal>();
  w->db = db;
  w->dir = db->dir;
  Status s = open_segment(w.get(), seg);
  if (!s.ok()) return s;
  w->durable_ts = db->last_ts;
  Wal* wp = w.get();
  db->wal = std::move(w);
  wp->th = std::thread(writer_loop, wp);
  return Status();
}

Status wal_close(DB* db) {
  Status s;
  if (db->wal) {
    Wal* w = db->wal.get();
    {
      std::lock_guard<std::mutex> g(w->mu);
      w->stop = true;
    }
    w->cv_writer.notify_all();
    if (w->th.joinable()) w->th.join();
    if (w->fd >= 0) ::close(w->fd);
    if (w->failed) s = Status(KVT_IO, w->err);
    db->wal.reset();
  }
  if (db->lock_fd >= 0) {
    ::flock(db->lock_fd, LOCK_UN);
    ::close(db->lock_fd);
    db->lock_fd = -1;
  }
  return s;
}

// ---------------------------------------------------------------- recovery

Status recover(DB* db) {
  const std::string& dir = db->dir;
  std::string lock_path = dir + "/LOCK";
  db->lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (db->lock_fd < 0) return io_err("open lock file " + lock_path);
  if (::flock(db->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    ::close(db->lock_fd);
    db->lock_fd = -1;
    if (e == EWOULDBLOCK)
      return Status(KVT_LOCKED, "data directory " + dir + " is locked by another process (or another open DB)");
    errno = e;
    return io_err("lock " + lock_path);
  }
  std::vector<uint64_t> ckpts, segs;
  for (const std::string& name : list_dir(dir)) {
    uint64_t n;
    if (parse_num(name, "checkpoint-", ".ckpt", &n)) ckpts.push_back(n);
    else if (parse_num(name, "wal-", ".log", &n)) segs.push_back(n);
    else if (parse_num(name, "checkpoint-", ".tmp", &n)) {
      ::unlink((dir + "/" + name).c_str());
      db->log('W', "kvt: removed incomplete checkpoint " + name + " left by an interrupted checkpoint");
    }
  }
  std::sort(ckpts.rbegin(), ckpts.rend());
  std::sort(segs.begin(), segs.end());
  uint64_t ckpt_ts = 0, first_seg = 0;
  bool have_ckpt = false;
  for (uint64_t c : ckpts) {
    std::string name = ckpt_name(c, false);
    uint64_t fs = 0, ts = 0;
    Status s = load_checkpoint(db, dir + "/" + name, &ts, &fs);
    if (s.ok()) {
      ckpt_ts = ts;
      first_seg = fs;
      have_ckpt = true;
      break;
    }
    db->log('W', "kvt: checkpoint " + name + " is unusable (" + s.msg + "); trying an older one");
    clear_catalog(db);
  }
  if (!have_ckpt && !ckpts.empty())
    db->log('E', "kvt: no valid checkpoint found; recovering from the log alone, data may be missing");
  uint64_t last = ckpt_ts;
  size_t replayed = 0;
  uint64_t max_seg = first_seg;
  for (size_t i = 0; i < segs.size(); i++) {
    uint64_t sn = segs[i];
    std::string path = dir + "/" + seg_name(sn);
    if (sn < first_seg) {
      ::unlink(path.c_str());
      continue;
    }
    max_seg = std::max(max_seg, sn);
    std::string data;
    if (!read_file(path, &data)) return io_err("read log segment " + path);
    size_t off = 0;
    std::string problem;
    while (off < data.size()) {
      if (data.size() - off < 8) {
        problem = "torn record header";
        break;
      }
      uint32_t len = get32(&data[off]);
      uint32_t crc = get32(&data[off + 4]);
      if (len > data.size() - off - 8) {
        problem = "torn record (length " + std::to_string(len) + " runs past the end of the file)";
        break;
      }
      if (crc32c(&data[off + 8], len) != crc) {
        problem = "checksum mismatch";
        break;
      }
      uint64_t ts = 0;
      if (!replay_record(db, &data[off + 8], len, ckpt_ts, &ts)) {
        problem = "malformed record";
        break;
      }
      if (ts > last) last = ts;
      replayed++;
      off += 8 + len;
    }
    if (!problem.empty()) {
      size_t later = segs.size() - i - 1;
      db->log('W', "kvt: recovery stopped at " + seg_name(sn) + " offset " + std::to_string(off) + ": " + problem +
                       "; truncating the log there" +
                       (later ? " and discarding " + std::to_string(later) + " later segment(s)" : std::string()));
      if (::truncate(path.c_str(), off_t(off)) != 0) return io_err("truncate " + path);
      int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
      }
      for (size_t j = i + 1; j < segs.size(); j++) ::unlink((dir + "/" + seg_name(segs[j])).c_str());
      break;
    }
  }
  db->last_ts = last;
  db->visible_ts.store(last);
  db->gc_horizon.store(0);
  if (have_ckpt || replayed)
    db->log('I', "kvt: recovered " + dir + ": checkpoint ts " + std::to_string(ckpt_ts) + ", replayed " +
                     std::to_string(replayed) + " log record(s), last commit ts " + std::to_string(last));
  gc_sweep(db);
  db->n_sweeps.store(0);
  return wal_open(db, segs.empty() && !have_ckpt ? 1 : max_seg + 1);
}

// ---------------------------------------------------------------- checkpoint

namespace {

struct CkptWriter {
  int fd;
  std::string buf;
  bool ok = true;
  int err = 0;
  void block(const std::string& payload) {
    frame(buf, payload);
    if (buf.size() >= kFlushBytes) flush();
  }
  void flush() {
    if (ok && !buf.empty() && !write_all(fd, buf.data(), buf.size())) {
      ok = false;
      err = errno;
    }
    buf.clear();
  }
};

}  // namespace

Status checkpoint(DB* db) {
  std::lock_guard<std::mutex> ck(db->ckpt_mu);
  if (db->fenced.load()) return db->fenced_status();
  uint64_t C = 0, first_seg = 0;
  uint32_t next_id;
  std::vector<std::shared_ptr<Table>> tables;
  {
    std::lock_guard<std::mutex> cl(db->commit_mu);
    Status s = wal_rotate(db, &first_seg);
    if (!s.ok()) return s;
    C = db->last_ts;
    {
      std::shared_lock<std::shared_mutex> g(db->cat_mu);
      for (auto& kv : db->by_id) tables.push_back(kv.second);
      next_id = db->next_table_id;
    }
    std::lock_guard<std::mutex> g(db->snap_mu);
    db->pinned[C]++;
  }
  auto unpin = [&] {
    std::lock_guard<std::mutex> g(db->snap_mu);
    auto it = db->pinned.find(C);
    if (it != db->pinned.end() && --it->second == 0) db->pinned.erase(it);
  };
  std::sort(tables.begin(), tables.end(), [](auto& a, auto& b) { return a->id < b->id; });
  std::string tmp = db->dir + "/" + ckpt_name(C, true);
  std::string fin = db->dir + "/" + ckpt_name(C, false);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    unpin();
    return io_err("create " + tmp);
  }
  CkptWriter cw{fd, {}};
  cw.buf.append(kCkptMagic, 8);
  std::string p;
  put8(p, 1);
  put64(p, C);
  put64(p, first_seg);
  put32(p, next_id);
  put32(p, uint32_t(tables.size()));
  for (auto& t : tables) {
    put32(p, t->id);
    put8(p, uint8_t(t->method));
    put16(p, uint16_t(t->name.size()));
    p += t->name;
  }
  cw.block(p);
  uint64_t total = 0;
  for (auto& t : tables) {
    std::string last;
    bool first = true;
    std::string body;
    uint32_t cnt = 0;
    auto emit_block = [&] {
      if (cnt == 0) return;
      std::string b;
      b.reserve(body.size() + 9);
      put8(b, 2);
      put32(b, t->id);
      put32(b, cnt);
      b += body;
      cw.block(b);
      if (db->crash_in_ckpt.load()) {
        cw.buf.append("partial");
        cw.flush();
        ::fsync(fd);
        _exit(3);
      }
      body.clear();
      cnt = 0;
    };
    if (t->hashed()) {
      // Collect the versions visible at C under one latch hold: they cannot
      // be freed while C is pinned and the table object is referenced.
      std::vector<Version*> vis;
      {
        std::shared_lock<std::shared_mutex> g(t->latch);
        vis.reserve(t->hidx.count());
        for (size_t i = 0; i < t->hidx.capacity(); i++) {
          Version* v = visible_at(t->hidx.at(i), C);
          if (v && !v->tomb()) vis.push_back(v);
        }
      }
      for (Version* v : vis) {
        put32(body, v->klen);
        body.append(v->key(), v->klen);
        put32(body, v->vlen);
        body.append(v->val(), v->vlen);
        cnt++;
        total++;
        if (body.size() >= kFlushBytes) emit_block();
      }
      emit_block();
      continue;
    }
    for (;;) {
      bool done = true;
      {
        std::shared_lock<std::shared_mutex> g(t->latch);
        Index& ix = t->idx;
        Index::Pos pos = first ? ix.begin() : ix.lower_bound(last.data(), last.size());
        if (!first && !ix.at_end(pos)) {
          Slot& sl = ix.at(pos);
          if (keycmp(sl.v->key(), sl.v->klen, last.data(), last.size()) == 0) ix.next(pos);
        }
        int n = 0;
        for (; !ix.at_end(pos); ix.next(pos)) {
          if (n++ >= 4096) {
            done = false;
            break;
          }
          Version* head = ix.at(pos).v;
          last.assign(head->key(), head->klen);
          first = false;
          Version* v = visible_at(head, C);
          if (!v || v->tomb()) continue;
          put32(body, v->klen);
          body.append(v->key(), v->klen);
          put32(body, v->vlen);
          body.append(v->val(), v->vlen);
          cnt++;
          total++;
        }
      }
      if (body.size() >= kFlushBytes) emit_block();
      if (done) break;
    }
    emit_block();
  }
  std::string f;
  put8(f, 3);
  put64(f, total);
  cw.block(f);
  cw.flush();
  Status s;
  if (!cw.ok) {
    errno = cw.err;
    s = io_err("write " + tmp);
  } else if (::fsync(fd) != 0) {
    s = io_err("fsync " + tmp);
  }
  ::close(fd);
  if (s.ok() && ::rename(tmp.c_str(), fin.c_str()) != 0) s = io_err("rename " + tmp);
  if (s.ok() && fsync_dir(db->dir) != 0) s = io_err("fsync directory " + db->dir);
  unpin();
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  // The checkpoint is durable: older checkpoints and covered segments go.
  for (const std::string& name : list_dir(db->dir)) {
    uint64_t n;
    if (parse_num(name, "checkpoint-", ".ckpt", &n) && n < C) ::unlink((db->dir + "/" + name).c_str());
    if (parse_num(name, "wal-", ".log", &n) && n < first_seg) ::unlink((db->dir + "/" + name).c_str());
  }
  db->wal->bytes_since_ckpt.store(0);
  db->n_ckpts.fetch_add(1);
  return Status();
}

// ---------------------------------------------------------------- maintenance

void maintenance_loop(DB* db) {
  uint64_t last_trim_commits = 0;
  uint64_t seen_inserts = 0;
  uint64_t horizon_before = 0;  // the GC horizon one GCInterval ago
  std::unique_lock<std::mutex> lk(db->maint_mu);
  while (!db->maint_stop) {
    db->maint_cv.wait_for(lk, std::chrono::milliseconds(50));
    if (db->maint_stop) break;
    lk.unlock();
    auto now = std::chrono::steady_clock::now();
    if (db->wal && !db->fenced.load() && db->opts.checkpoint_interval_ms >= 0) {
      uint64_t bytes = db->wal->bytes_since_ckpt.load();
      bool due = bytes >= uint64_t(db->opts.checkpoint_log_bytes) ||
                 (db->opts.checkpoint_interval_ms > 0 && bytes > 0 &&
                  now - db->last_ckpt >= std::chrono::milliseconds(db->opts.checkpoint_interval_ms));
      if (due) {
        Status s = checkpoint(db);
        if (!s.ok()) db->log('E', "kvt: background checkpoint failed: " + s.msg);
        malloc_trim(0);
        db->last_ckpt = now;
      }
    }
    if (now - db->last_gc >= std::chrono::milliseconds(db->opts.gc_interval_ms)) {
      uint64_t stable = horizon_before;
      horizon_before = db->compute_horizon();
      if (sweep_due(db, &seen_inserts)) gc_sweep(db, stable);
      db->last_gc = now;
      // Large transactions leave freed write sets and log buffers in the C
      // heap; give them back to the OS when there was activity.
      uint64_t c = db->n_commits.load();
      if (c != last_trim_commits) {
        malloc_trim(0);
        last_trim_commits = c;
      }
    }
    lk.lock();
  }
}

}  // namespace kvt
