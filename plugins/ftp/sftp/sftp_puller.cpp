#include "sftp_puller.hpp"

#include <spdlog/logger.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <future>
#include <variant>

#include "content_inspector.hpp"
#include "durable_upload.hpp"
#include "partial_origins.hpp"
#include "sftp_connection.hpp"
#include "sha256_hex.hpp"
#include "upload_name.hpp"

namespace supportgw::ftp {
namespace {

namespace fs = std::filesystem;

bool gone(const sdk::Status& status) { return status.code() == sdk::StatusCode::not_found; }

}  // namespace

SftpPuller::SftpPuller(SftpSettings settings, sdk::ChannelContext& context)
    : settings_(std::move(settings)),
      context_(context),
      logger_(context.logger()),
      uploads_(context.storage_dir() / "uploads"),
      pulled_(context.storage_dir() / "pulled"),
      origins_(context.storage_dir() / "resuming") {}

SftpPuller::~SftpPuller() { stop(); }

void SftpPuller::start() {
  fs::create_directories(uploads_);
  fs::create_directories(pulled_);
  worker_ = std::thread([this] { run(); });
}

void SftpPuller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (connection_ != nullptr) connection_->interrupt();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void SftpPuller::wait_for_next_poll() {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, settings_.poll_interval, [this] { return stopping_.load(); });
}

void SftpPuller::report(const std::string& message) {
  if (message == last_report_) return;
  last_report_ = message;
  if (logger_) logger_->warn("sftp drop box: {}", message);
}

void SftpPuller::run() {
  while (!stopping_) {
    auto connection = std::make_unique<SftpConnection>();
    {
      // Reachable by stop() before connecting: a server that accepts the connection and
      // then stays silent would otherwise hold stop() up for the whole `timeout`.
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      connection_ = connection.get();
    }
    const ConnectError error = connection->connect(settings_, stopping_);
    if (error.kind != ConnectFailure::none) {
      {
        std::lock_guard lock(mutex_);
        connection_ = nullptr;
      }
      if (stopping_) break;
      if (error.kind == ConnectFailure::host_key) {
        // Never retried: pulling customers' files from an impostor, or handing ours to
        // one, is worse than pulling nothing until someone looks.
        if (logger_) {
          logger_->error("sftp drop box puller STOPPED, nothing will be pulled: {}", error.message);
        }
        return;
      }
      report(error.message);
      wait_for_next_poll();
      continue;
    }
    if (logger_ && last_report_.empty()) {
      logger_->info("sftp drop box: connected to {}@{}:{}, polling {} every {} ms", settings_.user,
                    settings_.host, settings_.port, settings_.root,
                    settings_.poll_interval.count());
    }
    sdk::Status status;
    while (!stopping_ && status.ok()) {
      status = poll(*connection);
      if (status.ok()) {
        last_report_.clear();
        if (logger_) logger_->debug("sftp drop box: polled {}", settings_.root);
      } else if (!stopping_) {
        report(status.message());
      }
      wait_for_next_poll();
    }
    {
      std::lock_guard lock(mutex_);
      connection_ = nullptr;
    }
    // A failed poll drops the connection: the next one starts afresh (and a download cut
    // short resumes from its partial).
  }
}

sdk::Status SftpPuller::poll(SftpConnection& connection) {
  auto top = connection.list(settings_.root);
  if (!top.ok()) return top.status();
  std::vector<RemoteFile> seen;
  for (const RemoteEntry& entry : top.value()) {
    if (stopping_) return {};
    if (!entry.directory || is_reserved_folder(entry.name)) continue;
    const std::string folder = remote_join(settings_.root, entry.name);
    bool known = false;
    if (plausible_reference(entry.name)) {
      const auto ticket = context_.find_ticket(entry.name);
      if (!ticket.ok() && ticket.status().code() != sdk::StatusCode::not_found) {
        report("looking up ticket " + entry.name + ": " + ticket.status().message());
        continue;  // the store is busy or failing: decide at the next poll
      }
      known = ticket.ok();
    }
    if (!known) {
      const sdk::Status moved =
          move_aside(connection, folder, remote_join(settings_.root, kUnmatchedFolder), entry.name);
      if (logger_) {
        logger_->warn("sftp drop box: folder {} names no known ticket{}", folder,
                      moved.ok() ? ": moved to " + std::string(kUnmatchedFolder) + "/"
                                 : "; moving it aside failed: " + moved.message());
      }
      if (moved.code() == sdk::StatusCode::unavailable) return moved;
      continue;
    }
    auto listing = connection.list(folder);
    if (!listing.ok()) {
      if (listing.status().code() == sdk::StatusCode::unavailable) return listing.status();
      continue;  // vanished or unreadable since the top listing
    }
    for (const std::string& marker : stale_markers(listing.value(), std::time(nullptr))) {
      const sdk::Status removed = connection.remove(remote_join(folder, marker));
      if (logger_) {
        logger_->info("sftp drop box: {} has stood a day without its file{}",
                      remote_join(folder, marker),
                      removed.ok() ? ": removed" : "; removing it failed: " + removed.message());
      }
      if (removed.code() == sdk::StatusCode::unavailable) return removed;
    }
    auto files = pullable_files(settings_.root, entry.name, listing.value());
    seen.insert(seen.end(), std::make_move_iterator(files.begin()),
                std::make_move_iterator(files.end()));
  }
  for (const RemoteFile& file : tracker_.poll(seen)) {
    if (stopping_) return {};
    const sdk::Status taken = take(connection, file);
    if (taken.ok()) continue;
    if (taken.code() == sdk::StatusCode::unavailable) return taken;
    if (logger_) logger_->warn("sftp drop box: {}", taken.message());
  }
  return {};
}

sdk::Status SftpPuller::take(SftpConnection& connection, const RemoteFile& file) {
  const std::string origin = origin_id_of(settings_.host, settings_.port, file);
  const fs::path marker = pulled_ / sha256_hex(origin);
  std::error_code ignored;
  if (fs::exists(marker, ignored)) {
    // Attached before the daemon stopped, but not yet deleted or moved on the box.
    const sdk::Status finished = finish_remote(connection, file);
    if (finished.ok()) fs::remove(marker, ignored);
    return finished;
  }
  const std::string unmatched =
      remote_join(remote_join(settings_.root, kUnmatchedFolder), file.reference);
  const auto name = upload_name(file.name);
  if (const auto* refusal = std::get_if<NameRefusal>(&name)) {
    if (logger_) {
      logger_->warn("sftp drop box: {} refused ({}): moved to {}/", file.path, refusal->reason,
                    unmatched);
    }
    return set_aside(connection, file, unmatched);
  }
  if (file.size > settings_.max_file_size) {
    if (logger_) {
      logger_->warn("sftp drop box: {} has {} bytes, over max_file_size ({}): moved to {}/",
                    file.path, file.size, settings_.max_file_size, unmatched);
    }
    return set_aside(connection, file, unmatched);
  }

  // Download, resuming what an earlier attempt (a dropped connection, a killed daemon)
  // left in the partial, if it was cut from this very file (partial_origins.hpp).
  const fs::path folder = uploads_ / file.reference;
  const std::string& local_name = std::get<std::string>(name);
  const fs::path partial = DurableUpload::partial_path(folder, local_name);
  const std::string partial_key = file.reference + "/" + local_name;
  std::uint64_t offset = 0;
  std::error_code no_partial;
  const auto partial_size = fs::file_size(partial, no_partial);
  if (!no_partial) {
    if (partial_size <= file.size && origins_.recorded(partial_key) == origin) {
      offset = partial_size;
    } else {
      if (logger_) {
        logger_->info(
            "sftp drop box: {} is not the file the partial of {} bytes was cut "
            "from (replaced since?): pulling it from the start",
            file.path, partial_size);
      }
      fs::remove(partial, ignored);
    }
  }
  if (offset == 0) {
    std::string error;
    if (!origins_.record(partial_key, origin, error)) {
      return {sdk::StatusCode::internal, "cannot store " + file.path + ": " + error};
    }
  }
  auto opened = DurableUpload::open(folder, local_name, offset);
  if (!opened.ok()) {
    return {sdk::StatusCode::internal,
            "cannot store " + file.path + ": " + opened.status().message()};
  }
  DurableUpload upload = std::move(opened.value());
  if (logger_) {
    logger_->info("sftp drop box: pulling {} ({} bytes{})", file.path, file.size,
                  offset > 0 ? ", resuming at " + std::to_string(offset) : std::string());
  }
  const sdk::Status downloaded = connection.download(
      file.path, offset,
      [&upload](const char* data, std::size_t size) { return upload.write(data, size); });
  if (!downloaded.ok()) {
    upload.abandon();  // the partial stays for a resume
    return downloaded;
  }
  if (upload.size() != file.size) {
    // Changed since it looked complete (the uploader was not done): start over once it
    // is stable again.
    upload.abandon();
    fs::remove(partial, ignored);
    origins_.forget(partial_key);
    return {sdk::StatusCode::invalid_argument,
            file.path + " changed while being pulled (" + std::to_string(upload.size()) +
                " bytes read, " + std::to_string(file.size) + " listed); taken again later"};
  }
  auto finished = upload.finish();
  if (!finished.ok()) {
    return {sdk::StatusCode::internal,
            "cannot store " + file.path + ": " + finished.status().message()};
  }
  const FinishedUpload& stored = finished.value();
  origins_.forget(partial_key);  // the partial is now the finished file

  const sdk::Status attached =
      attach(file, stored.file_name, stored.path, stored.size, stored.sha256);
  if (!attached.ok()) {
    // The box keeps the file, so the local copy would only be an orphan.
    fs::remove(stored.path, ignored);
    if (attached.code() == sdk::StatusCode::unavailable) return attached;  // retried later
    if (logger_) {
      logger_->warn("sftp drop box: {} not attached ({}): moved to {}/", file.path,
                    attached.message(), unmatched);
    }
    return set_aside(connection, file, unmatched);
  }
  // Remember the attach until the box is cleaned, so a crash in between never pulls the
  // file again (the origin id would keep it from attaching twice, but not from being
  // downloaded twice).
  std::ofstream(marker) << origin << '\n';
  if (logger_) {
    logger_->info("sftp drop box: pulled {} into ticket {} as {} ({} bytes, SHA-256 {})", file.path,
                  file.reference, stored.file_name, stored.size, stored.sha256);
  }
  const sdk::Status finished_remote = finish_remote(connection, file);
  if (finished_remote.ok()) fs::remove(marker, ignored);
  describe_later(file, stored.path, stored.file_name);
  return finished_remote;
}

sdk::Status SftpPuller::attach(const RemoteFile& file, const std::string& stored_name,
                               const fs::path& stored_path, std::uint64_t size,
                               const std::string& sha256) {
  sdk::AttachRequest request;
  request.reference = file.reference;
  request.file.file_name = stored_name;
  request.file.stored_path = stored_path.string();
  request.file.size = size;
  request.file.sha256 = sha256;
  request.origin_id = origin_id_of(settings_.host, settings_.port, file);
  if (request.origin_id.size() > 900) request.origin_id = "sftp:" + sha256_hex(request.origin_id);
  request.note = "pulled from the SFTP drop box " + settings_.host + ":" + file.path;
  // This worker thread is ours alone: waiting here holds up only the next file.
  auto promise = std::make_shared<std::promise<sdk::Status>>();
  auto result = promise->get_future();
  context_.attach_vouched(std::move(request),
                          [promise](sdk::Status status) { promise->set_value(std::move(status)); });
  return result.get();
}

void SftpPuller::describe_later(const RemoteFile& file, const fs::path& path,
                                const std::string& stored_name) {
  std::string text = stored_name + ": " + describe(path);
  if (text.size() > 60 * 1024) text.resize(60 * 1024);
  context_.annotate(file.reference, std::move(text),
                    [logger = logger_, reference = file.reference](sdk::Status status) {
                      if (!status.ok() && logger) {
                        logger->warn("{}: recording a pulled file's content note failed: {}",
                                     reference, status.message());
                      }
                    });
}

sdk::Status SftpPuller::finish_remote(SftpConnection& connection, const RemoteFile& file) {
  const std::string marker = file.path + std::string(kDoneSuffix);
  if (settings_.after == AfterPull::remove) {
    sdk::Status status = connection.remove(file.path);
    if (!status.ok() && !gone(status)) return status;
    status = connection.remove(marker);
    return gone(status) ? sdk::Status() : status;
  }
  return set_aside(connection, file,
                   remote_join(remote_join(settings_.root, kProcessedFolder), file.reference));
}

sdk::Status SftpPuller::set_aside(SftpConnection& connection, const RemoteFile& file,
                                  const std::string& folder) {
  sdk::Status status = move_aside(connection, file.path, folder, file.name);
  if (!status.ok() && !gone(status)) return status;
  // The marker goes with its file (most files have none).
  status = move_aside(connection, file.path + std::string(kDoneSuffix), folder,
                      file.name + std::string(kDoneSuffix));
  return gone(status) ? sdk::Status() : status;
}

sdk::Status SftpPuller::move_aside(SftpConnection& connection, const std::string& from,
                                   const std::string& folder, const std::string& name) {
  // The folder and its parent (processed/ or unmatched/) are made on first use.
  const auto slash = folder.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    const std::string parent = folder.substr(0, slash);
    if (parent != settings_.root) {
      if (sdk::Status made = connection.make_folder(parent); !made.ok()) return made;
    }
  }
  if (sdk::Status made = connection.make_folder(folder); !made.ok()) return made;
  sdk::Status moved = connection.rename(from, remote_join(folder, name));
  // SFTP v3 rename never overwrites: an earlier file of that name keeps its place and
  // this one gets the time as a suffix.
  for (int attempt = 1; !moved.ok() && moved.code() == sdk::StatusCode::internal && attempt <= 3;
       ++attempt) {
    moved = connection.rename(
        from, remote_join(folder, name + "." + std::to_string(std::time(nullptr)) + "-" +
                                      std::to_string(attempt)));
  }
  return moved;
}

}  // namespace supportgw::ftp
