#include "sftp_connection.hpp"

#include <fcntl.h>
#include <libssh2.h>
#include <libssh2_sftp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <set>

namespace supportgw::ftp {
namespace {

// Large enough that libssh2 keeps many 30 KB read requests in flight (see the header).
constexpr std::size_t kReadBuffer = 1024 * 1024;

std::string base64(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    const std::uint32_t chunk = (std::uint32_t{data[i]} << 16) |
                                (i + 1 < size ? std::uint32_t{data[i + 1]} << 8 : 0) |
                                (i + 2 < size ? std::uint32_t{data[i + 2]} : 0);
    out += kDigits[(chunk >> 18) & 63];
    out += kDigits[(chunk >> 12) & 63];
    if (i + 1 < size) out += kDigits[(chunk >> 6) & 63];
    if (i + 2 < size) out += kDigits[chunk & 63];
  }
  return out;  // unpadded, as OpenSSH prints fingerprints
}

const char* key_type_name(int type) {
  switch (type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
      return "ssh-rsa";
    case LIBSSH2_HOSTKEY_TYPE_DSS:
      return "ssh-dss";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
      return "ecdsa-sha2-nistp256";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
      return "ecdsa-sha2-nistp384";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
      return "ecdsa-sha2-nistp521";
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
      return "ssh-ed25519";
    default:
      return "unknown";
  }
}

int known_host_key_bits(int type) {
  switch (type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
      return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
    case LIBSSH2_HOSTKEY_TYPE_DSS:
      return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
      return LIBSSH2_KNOWNHOST_KEY_ED25519;
    default:
      return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
  }
}

// The host key algorithms known_hosts has keys of, strongest first: offered to the
// server as our preference, so a box with several host keys shows the one we know
// (libssh2's own order would pick ECDSA first and find it "not in known_hosts").
std::string host_key_preference(LIBSSH2_KNOWNHOSTS* hosts) {
  std::set<int> bits;
  libssh2_knownhost* entry = nullptr;
  libssh2_knownhost* previous = nullptr;
  while (libssh2_knownhost_get(hosts, &entry, previous) == 0) {
    bits.insert(entry->typemask & LIBSSH2_KNOWNHOST_KEY_MASK);
    previous = entry;
  }
  std::string out;
  const auto add = [&](int bit, const char* name) {
    if (!bits.contains(bit)) return;
    if (!out.empty()) out += ',';
    out += name;
  };
  add(LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519");
  add(LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521");
  add(LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384");
  add(LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256");
  add(LIBSSH2_KNOWNHOST_KEY_SSHRSA, "rsa-sha2-512,rsa-sha2-256,ssh-rsa");
  add(LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss");
  return out;
}

// A TCP connection to host:port, made without blocking so `stopping` is seen within
// 200 ms; then blocking again (libssh2 waits on it with its own timeout) with
// TCP_NODELAY (libssh2 sends many small read requests: Nagle would hold them back).
int connect_socket(const SftpSettings& settings, const std::atomic<bool>& stopping,
                   std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(settings.port);
  if (const int rc = ::getaddrinfo(settings.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    error = "cannot resolve " + settings.host + ": " + ::gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  error = "no address for " + settings.host;
  for (addrinfo* address = found; address != nullptr && fd < 0 && !stopping;
       address = address->ai_next) {
    fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                  address->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, address->ai_addr, address->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      const auto deadline = std::chrono::steady_clock::now() + settings.timeout;
      rc = -1;
      while (!stopping && std::chrono::steady_clock::now() < deadline) {
        pollfd waiting{fd, POLLOUT, 0};
        if (::poll(&waiting, 1, 200) > 0) {
          int so_error = 0;
          socklen_t length = sizeof so_error;
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
          errno = so_error;
          rc = so_error == 0 ? 0 : -1;
          break;
        }
        errno = ETIMEDOUT;
      }
    }
    if (rc != 0) {
      error = "cannot connect to " + settings.host + ":" + port + ": " + std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) return -1;
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

struct SftpConnection::Impl {
  int fd = -1;
  LIBSSH2_SESSION* session = nullptr;
  LIBSSH2_SFTP* sftp = nullptr;
  std::string where;  // "user@host:port", for messages
  std::mutex interrupt_mutex;
  std::atomic<bool> interrupted{false};

  ~Impl() {
    if (sftp != nullptr) libssh2_sftp_shutdown(sftp);
    if (session != nullptr) {
      if (!interrupted) libssh2_session_disconnect(session, "supportgw sftp puller done");
      libssh2_session_free(session);
    }
    if (fd >= 0) ::close(fd);
  }

  std::string session_error() const {
    char* message = nullptr;
    int length = 0;
    libssh2_session_last_error(session, &message, &length, 0);
    return message != nullptr ? std::string(message, static_cast<std::size_t>(length))
                              : std::string("unknown libssh2 error");
  }

  // The Status for the libssh2 call that just failed while doing `what`.
  sdk::Status failure(const std::string& what) const {
    if (interrupted) return {sdk::StatusCode::unavailable, what + ": the puller is stopping"};
    const int code = libssh2_session_last_errno(session);
    if (code == LIBSSH2_ERROR_SFTP_PROTOCOL && sftp != nullptr) {
      switch (libssh2_sftp_last_error(sftp)) {
        case LIBSSH2_FX_NO_SUCH_FILE:
        case LIBSSH2_FX_NO_SUCH_PATH:
          return {sdk::StatusCode::not_found, what + ": no such file or folder"};
        case LIBSSH2_FX_PERMISSION_DENIED:
          return {sdk::StatusCode::denied, what + ": permission denied"};
        default:
          return {sdk::StatusCode::internal,
                  what + ": SFTP status " + std::to_string(libssh2_sftp_last_error(sftp))};
      }
    }
    return {sdk::StatusCode::unavailable, what + " on " + where + ": " + session_error()};
  }

  // Verifies the server's host key against known_hosts (OpenSSH format).
  ConnectError check_host_key(const SftpSettings& settings) {
    std::size_t length = 0;
    int type = 0;
    const char* key = libssh2_session_hostkey(session, &length, &type);
    if (key == nullptr) return {ConnectFailure::other, "the server sent no host key"};
    const auto* hash = reinterpret_cast<const unsigned char*>(
        libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256));
    const std::string fingerprint =
        std::string(key_type_name(type)) + " SHA256:" + (hash ? base64(hash, 32) : "?");
    LIBSSH2_KNOWNHOSTS* hosts = libssh2_knownhost_init(session);
    const int read = libssh2_knownhost_readfile(hosts, settings.known_hosts.c_str(),
                                                LIBSSH2_KNOWNHOST_FILE_OPENSSH);
    if (read < 0) {
      libssh2_knownhost_free(hosts);
      return {ConnectFailure::host_key,
              "cannot read known_hosts file " + settings.known_hosts + ": " + session_error()};
    }
    libssh2_knownhost* entry = nullptr;
    const int check = libssh2_knownhost_checkp(
        hosts, settings.host.c_str(), settings.port, key, length,
        LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | known_host_key_bits(type),
        &entry);
    libssh2_knownhost_free(hosts);
    const std::string server = settings.host + ":" + std::to_string(settings.port);
    switch (check) {
      case LIBSSH2_KNOWNHOST_CHECK_MATCH:
        return {};
      case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
        return {ConnectFailure::host_key,
                "HOST KEY MISMATCH: the host key of " + server + " (" + fingerprint +
                    ") is not the one known_hosts file " + settings.known_hosts +
                    " holds for it; refusing to connect (someone may be impersonating the "
                    "drop box; if its key really changed, update the file)"};
      case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
        return {ConnectFailure::host_key, "unknown host: " + server + " (" + fingerprint +
                                              ") has no key in known_hosts file " +
                                              settings.known_hosts + "; refusing to connect"};
      default:
        return {ConnectFailure::host_key, "cannot check the host key of " + server +
                                              " against known_hosts file " + settings.known_hosts +
                                              ": " + session_error()};
    }
  }
};

SftpConnection::SftpConnection() : impl_(std::make_unique<Impl>()) {}
SftpConnection::~SftpConnection() = default;

ConnectError SftpConnection::connect(const SftpSettings& settings,
                                     const std::atomic<bool>& stopping) {
  Impl& impl = *impl_;
  impl.where = settings.user + "@" + settings.host + ":" + std::to_string(settings.port);
  std::string message;
  const int fd = connect_socket(settings, stopping, message);
  if (fd < 0) return {ConnectFailure::network, message};
  {
    // From here interrupt() can reach the socket; one that came while it was being made
    // takes effect now.
    std::lock_guard lock(impl.interrupt_mutex);
    impl.fd = fd;
    if (impl.interrupted) ::shutdown(impl.fd, SHUT_RDWR);
  }
  impl.session = libssh2_session_init();
  if (impl.session == nullptr) return {ConnectFailure::other, "libssh2_session_init failed"};
  libssh2_session_set_blocking(impl.session, 1);
  libssh2_session_set_timeout(impl.session, static_cast<long>(settings.timeout.count()));
  {
    // Offer only the host key types known_hosts has, so the key checked is one we know.
    LIBSSH2_KNOWNHOSTS* hosts = libssh2_knownhost_init(impl.session);
    if (libssh2_knownhost_readfile(hosts, settings.known_hosts.c_str(),
                                   LIBSSH2_KNOWNHOST_FILE_OPENSSH) > 0) {
      const std::string preference = host_key_preference(hosts);
      if (!preference.empty()) {
        libssh2_session_method_pref(impl.session, LIBSSH2_METHOD_HOSTKEY, preference.c_str());
      }
    }
    libssh2_knownhost_free(hosts);
  }
  if (libssh2_session_handshake(impl.session, impl.fd) != 0) {
    return {ConnectFailure::network,
            "SSH handshake with " + impl.where + " failed: " + impl.session_error()};
  }
  if (ConnectError host_key = impl.check_host_key(settings);
      host_key.kind != ConnectFailure::none) {
    return host_key;
  }
  const int auth = libssh2_userauth_publickey_fromfile_ex(
      impl.session, settings.user.c_str(), static_cast<unsigned>(settings.user.size()),
      settings.public_key.empty() ? nullptr : settings.public_key.c_str(),
      settings.private_key.c_str(), settings.passphrase.c_str());
  if (auth != 0) {
    return {ConnectFailure::login, "login to " + impl.where + " with key " + settings.private_key +
                                       " failed: " + impl.session_error()};
  }
  impl.sftp = libssh2_sftp_init(impl.session);
  if (impl.sftp == nullptr) {
    return {ConnectFailure::network,
            "starting SFTP on " + impl.where + " failed: " + impl.session_error()};
  }
  return {};
}

void SftpConnection::interrupt() {
  std::lock_guard lock(impl_->interrupt_mutex);
  impl_->interrupted = true;
  // The fd stays open (closed by the worker in ~Impl); shutdown only wakes its waits.
  if (impl_->fd >= 0) ::shutdown(impl_->fd, SHUT_RDWR);
}

sdk::Result<std::vector<RemoteEntry>> SftpConnection::list(const std::string& folder) {
  LIBSSH2_SFTP_HANDLE* handle =
      libssh2_sftp_open_ex(impl_->sftp, folder.c_str(), static_cast<unsigned>(folder.size()), 0, 0,
                           LIBSSH2_SFTP_OPENDIR);
  if (handle == nullptr) return impl_->failure("listing " + folder);
  std::vector<RemoteEntry> entries;
  char name[1024];
  int rc = 0;
  for (;;) {
    LIBSSH2_SFTP_ATTRIBUTES attributes{};
    rc = libssh2_sftp_readdir_ex(handle, name, sizeof name, nullptr, 0, &attributes);
    if (rc <= 0) break;
    RemoteEntry entry;
    entry.name.assign(name, static_cast<std::size_t>(rc));
    if (entry.name == "." || entry.name == "..") continue;
    if (attributes.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) {
      entry.directory = LIBSSH2_SFTP_S_ISDIR(attributes.permissions);
      entry.regular = LIBSSH2_SFTP_S_ISREG(attributes.permissions);
    }
    if (attributes.flags & LIBSSH2_SFTP_ATTR_SIZE) entry.size = attributes.filesize;
    if (attributes.flags & LIBSSH2_SFTP_ATTR_ACMODTIME) {
      entry.mtime = static_cast<std::int64_t>(attributes.mtime);
    }
    entries.push_back(std::move(entry));
  }
  sdk::Status status;
  if (rc < 0) status = impl_->failure("listing " + folder);
  libssh2_sftp_close_handle(handle);
  if (!status.ok()) return status;
  return entries;
}

sdk::Status SftpConnection::download(const std::string& path, std::uint64_t offset,
                                     const Sink& sink) {
  LIBSSH2_SFTP_HANDLE* handle =
      libssh2_sftp_open_ex(impl_->sftp, path.c_str(), static_cast<unsigned>(path.size()),
                           LIBSSH2_FXF_READ, 0, LIBSSH2_SFTP_OPENFILE);
  if (handle == nullptr) return impl_->failure("opening " + path);
  libssh2_sftp_seek64(handle, offset);
  std::vector<char> buffer(kReadBuffer);
  sdk::Status status;
  for (;;) {
    const ssize_t got = libssh2_sftp_read(handle, buffer.data(), buffer.size());
    if (got == 0) break;
    if (got < 0) {
      status = impl_->failure("reading " + path);
      break;
    }
    status = sink(buffer.data(), static_cast<std::size_t>(got));
    if (!status.ok()) break;
  }
  // After an error the handle is closed without waiting for the server (the connection
  // is dropped anyway); read-ahead requests still in flight are discarded with it.
  libssh2_sftp_close_handle(handle);
  return status;
}

sdk::Status SftpConnection::remove(const std::string& path) {
  if (libssh2_sftp_unlink_ex(impl_->sftp, path.c_str(), static_cast<unsigned>(path.size())) != 0) {
    return impl_->failure("deleting " + path);
  }
  return {};
}

sdk::Status SftpConnection::rename(const std::string& from, const std::string& to) {
  if (libssh2_sftp_rename_ex(impl_->sftp, from.c_str(), static_cast<unsigned>(from.size()),
                             to.c_str(), static_cast<unsigned>(to.size()),
                             LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE) != 0) {
    return impl_->failure("moving " + from + " to " + to);
  }
  return {};
}

bool SftpConnection::exists(const std::string& path) {
  LIBSSH2_SFTP_ATTRIBUTES attributes{};
  return libssh2_sftp_stat_ex(impl_->sftp, path.c_str(), static_cast<unsigned>(path.size()),
                              LIBSSH2_SFTP_LSTAT, &attributes) == 0;
}

sdk::Status SftpConnection::make_folder(const std::string& path) {
  if (libssh2_sftp_mkdir_ex(impl_->sftp, path.c_str(), static_cast<unsigned>(path.size()), 0750) ==
      0) {
    return {};
  }
  sdk::Status status = impl_->failure("making folder " + path);
  if (status.code() != sdk::StatusCode::unavailable && exists(path)) return {};
  return status;
}

}  // namespace supportgw::ftp
