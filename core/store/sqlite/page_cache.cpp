#include "core/store/sqlite/page_cache.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <new>

namespace supportgw::sqlite {

void PageNumberBound::held(std::uint32_t page) {
  if (page == temporary_) {
    temporary_held_ = true;
  } else {
    largest_ = std::max(largest_, page);
  }
}

void PageNumberBound::moved(std::uint32_t from, std::uint32_t to) {
  if (from == temporary_) {
    temporary_held_ = false;
  }
  held(to);
}

bool PageNumberBound::may_hold_from(std::uint32_t limit) const {
  return largest_ >= limit || (temporary_held_ && temporary_ >= limit);
}

void PageNumberBound::truncated(std::uint32_t limit) {
  if (limit <= temporary_) {
    temporary_held_ = false;
  }
  if (limit > 0) {
    largest_ = std::min(largest_, limit - 1);
  }
}

namespace {

// SQLite's own byte at which the locks live (PENDING_BYTE): the page holding it is the
// one SQLite never stores data in and borrows as the temporary number.
constexpr std::uint32_t kPendingByte = 0x40000000;

struct Cache {
  sqlite3_pcache* base;
  PageNumberBound bound;
};

Cache* cache_of(sqlite3_pcache* cache) { return reinterpret_cast<Cache*>(cache); }

struct Installation {
  sqlite3_pcache_methods2 base{};
  bool installed = false;
};

const Installation& installation();

const sqlite3_pcache_methods2& base() { return installation().base; }

int init(void*) { return base().xInit(base().pArg); }

void shutdown(void*) {
  if (base().xShutdown != nullptr) {
    base().xShutdown(base().pArg);
  }
}

sqlite3_pcache* create(int page_size, int extra_size, int purgeable) {
  sqlite3_pcache* inner = base().xCreate(page_size, extra_size, purgeable);
  if (inner == nullptr) {
    return nullptr;
  }
  auto* cache = new (std::nothrow)
      Cache{inner, PageNumberBound(kPendingByte / static_cast<std::uint32_t>(page_size) + 1)};
  if (cache == nullptr) {
    base().xDestroy(inner);
    return nullptr;
  }
  return reinterpret_cast<sqlite3_pcache*>(cache);
}

void cache_size(sqlite3_pcache* cache, int pages) {
  base().xCachesize(cache_of(cache)->base, pages);
}

int page_count(sqlite3_pcache* cache) { return base().xPagecount(cache_of(cache)->base); }

sqlite3_pcache_page* fetch(sqlite3_pcache* cache, unsigned key, int create_flag) {
  Cache* c = cache_of(cache);
  sqlite3_pcache_page* page = base().xFetch(c->base, key, create_flag);
  if (page != nullptr) {
    c->bound.held(key);
  }
  return page;
}

void unpin(sqlite3_pcache* cache, sqlite3_pcache_page* page, int discard) {
  base().xUnpin(cache_of(cache)->base, page, discard);
}

void rekey(sqlite3_pcache* cache, sqlite3_pcache_page* page, unsigned from, unsigned to) {
  Cache* c = cache_of(cache);
  base().xRekey(c->base, page, from, to);
  c->bound.moved(from, to);
}

void truncate(sqlite3_pcache* cache, unsigned limit) {
  Cache* c = cache_of(cache);
  if (!c->bound.may_hold_from(limit)) {
    return;  // nothing to drop: spare the walk over every cached page
  }
  base().xTruncate(c->base, limit);
  c->bound.truncated(limit);
}

void destroy(sqlite3_pcache* cache) {
  Cache* c = cache_of(cache);
  base().xDestroy(c->base);
  delete c;
}

void shrink(sqlite3_pcache* cache) { base().xShrink(cache_of(cache)->base); }

// Set once, the first time anyone asks, and never changed: SQLite holds on to the
// methods for the life of the process.
const Installation& installation() {
  static const Installation once = [] {
    Installation result;
    if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &result.base) != SQLITE_OK ||
        result.base.iVersion < 1 || result.base.xCreate == nullptr) {
      return result;  // SQLite is in use already: its default stays
    }
    sqlite3_pcache_methods2 methods{};
    methods.iVersion = 1;
    methods.pArg = nullptr;
    methods.xInit = init;
    methods.xShutdown = shutdown;
    methods.xCreate = create;
    methods.xCachesize = cache_size;
    methods.xPagecount = page_count;
    methods.xFetch = fetch;
    methods.xUnpin = unpin;
    methods.xRekey = rekey;
    methods.xTruncate = truncate;
    methods.xDestroy = destroy;
    methods.xShrink = shrink;
    result.installed = sqlite3_config(SQLITE_CONFIG_PCACHE2, &methods) == SQLITE_OK;
    return result;
  }();
  return once;
}

}  // namespace

bool install_page_cache() { return installation().installed; }

}  // namespace supportgw::sqlite
