"""Labels of the data page (upload and rebuild) and of the refresh history on data health: key → (中文, English)."""

LABELS: dict[str, tuple[str, str]] = {
    "page_data": ("数据上传与更新", "Data upload & refresh"),
    "dd_intro": (
        "上传各系统的导出文件（xlsx、csv/tsv、GeoJSON，或它们的 zip 压缩包，单个文件不超过 {limit} MB）。"
        "每个文件先按内容检查类型和格式方案，通过后以系统生成的文件名存入接收目录并导入数据湖；"
        "然后点击“重建数据仓库”生成新的数据版本。构建失败时当前版本保持不变。",
        "Upload the systems' exports (xlsx, csv/tsv, GeoJSON, or a zip of them; at most {limit} MB a file). "
        "Each file's type and profile are checked from its bytes first; files that pass are saved into landing "
        "under a generated name and loaded into the lake. Then “Rebuild the warehouse” makes a new release; "
        "a failed build leaves the current release as it was.",
    ),
    "dd_held": (
        "数据正忙：{what} 正在运行，{since} 起，由 {who} 发起（进程 {pid}）。请在它结束后再试。",
        "Busy: {what} is running since {since}, started by {who} (pid {pid}). Try again when it has finished.",
    ),
    "dd_drop": ("选择或拖入导出文件（可多选）", "Choose or drop export files (several at once)"),
    "dd_upload": ("检查并导入", "Check and load"),
    "dd_no_files": ("请先选择文件。", "Choose files first."),
    "dd_rebuild": ("重建数据仓库", "Rebuild the warehouse"),
    "dd_rebuild_help": (
        "导入接收目录中所有新文件，数据湖有变化时运行 dbt 构建新版本（同 `gridpulse refresh`）。",
        "Loads every new file in landing and, if the lake changed, runs dbt into a new release "
        "(as `gridpulse refresh`).",
    ),
    "dd_checks": ("文件检查", "File checks"),
    "dd_c_name": ("文件", "File"),
    "dd_c_size": ("大小 (KB)", "Size (KB)"),
    "dd_c_kind": ("类型（按内容）", "Type (from the bytes)"),
    "dd_c_profile": ("格式方案", "Profile"),
    "dd_c_result": ("结果", "Result"),
    "dd_c_saved": ("已存为", "Saved as"),
    "dd_saved": ("通过，已存入接收目录", "passed, saved into landing"),
    "dd_skipped": ("跳过：{reason}", "skipped: {reason}"),
    "dd_refused": ("未通过：{reason}", "refused: {reason}"),
    "dd_refused_n": (
        "{n} 个文件未通过检查，未写入接收目录：{names}",
        "{n} file(s) refused, nothing of them written: {names}",
    ),
    "dd_loading": ("正在导入 {n} 个文件…", "Loading {n} file(s)…"),
    "dd_refreshing": ("正在更新：导入新文件，然后构建…", "Refreshing: loading new files, then building…"),
    "dd_run_ok": ("已完成（展开查看逐个文件的进度）", "Finished (expand for the file-by-file progress)"),
    "dd_run_not_ok": ("未成功完成", "Did not finish successfully"),
    "dd_stage_load": ("导入", "Loading"),
    "dd_stage_build": ("构建（dbt）", "Building (dbt)"),
    "dd_running_since": ("已运行 {s} 秒", "running for {s} s"),
    "dd_accounting": (
        "导入结果（与 `gridpulse status` 相同的口径）",
        "Load result (the same accounting as `gridpulse status`)",
    ),
    "dd_f_read": ("读取行数", "Rows read"),
    "dd_f_accepted": ("接收", "Accepted"),
    "dd_f_quarantined": ("隔离", "Quarantined"),
    "dd_f_duplicate": ("重复", "Duplicate"),
    "dd_f_status": ("状态", "Status"),
    "dd_f_reason": ("原因", "Reason"),
    "dd_f_table": ("数据湖表", "Lake table"),
    "dd_quarantine_reasons": ("隔离原因", "Quarantine reasons"),
    "dd_quarantine_samples": (
        "隔离样例（已脱敏）：{table} · {reason}",
        "Quarantined samples (masked): {table} · {reason}",
    ),
    "dd_not_loaded_yet": (
        "文件已存入接收目录，尚未导入（{why}）。稍后点击“重建数据仓库”或等待夜间自动更新即可导入。",
        "The files are in landing but not loaded yet ({why}). “Rebuild the warehouse” or the nightly refresh loads them.",
    ),
    "dd_done_built": (
        "构建完成：数据版本 {release} 已成为当前版本。",
        "Done: release {release} is now current.",
    ),
    "dd_done_nothing": (
        "没有新数据：当前版本 {release} 已是最新。",
        "Nothing new: the current release {release} is up to date.",
    ),
    "dd_done_loaded": ("已导入：{message}", "Loaded: {message}"),
    "dd_done_rejected": ("有文件被拒绝：{message}", "A file was rejected: {message}"),
    "dd_build_failed": (
        "构建失败，当前版本 {current} 保持不变。失败的模型或测试：",
        "The build failed; the current release {current} was left as it was. What failed:",
    ),
    "dd_run_failed": ("更新未完成：{message}", "The refresh did not finish: {message}"),
    "dd_run_vanished": (
        "更新进程已中止（未写入结果），当前版本和数据湖保持原样；可再次点击“重建数据仓库”。",
        "The refresh process stopped without a result; the current release and the lake are as they were. "
        "Click “Rebuild the warehouse” again.",
    ),
    "dd_busy": ("{message}", "{message}"),
    "dd_none": ("（无）", "(none)"),
    # ── refresh history (data health) ───────────────────────────────────────
    "rf_title": ("自动更新记录", "Refreshes"),
    "rf_last": (
        "最近一次更新（{at}，{by}）：{outcome} — {message}",
        "Last refresh ({at}, by {by}): {outcome} — {message}",
    ),
    "rf_none": (
        "还没有更新记录。`gridpulse refresh` 可由定时任务每晚运行（见 README）。",
        "No refresh yet. A timer can run `gridpulse refresh` nightly (see the README).",
    ),
    "rf_history": ("更新历史", "Refresh history"),
    "rf_loaded_n": ("导入新文件 {n} 个", "{n} new file(s) loaded"),
    "rf_rejected": ("拒绝：{files}", "rejected: {files}"),
    "rf_built": ("生成数据版本 {release}", "release {release} built and made current"),
    "rf_failed": ("构建失败，当前版本未变：{what}", "build failed, the current release stayed: {what}"),
    "rf_no_build": ("数据湖未变，无需构建", "the lake did not change: nothing to build"),
    "rf_load_only": ("仅导入（数据页上传），未构建", "load only (a data-page upload), not built"),
    "rf_parts_sep": ("；", "; "),
    "rf_why_busy": (
        "另一个导入或构建正在进行，本次未运行，请稍后再试",
        "another load or build was running: this one did not run, try again later",
    ),
    "rf_why_disk_full": ("磁盘已满，未写入任何半成品", "the disk is full: nothing half-written was kept"),
    "rf_why_error": ("更新出错而中止", "the refresh stopped on an error"),
    "rf_detail": ("（原文：{detail}）", " ({detail})"),
    "rf_all_quarantined": (
        "全部 {rows} 行被隔离，导入配置 {profile}，详见数据健康页的隔离区",
        "all {rows} rows quarantined (profile {profile}): see the quarantine on the data-health page",
    ),
    "rf_c_started": ("开始时间", "Started"),
    "rf_c_finished": ("结束时间", "Finished"),
    "rf_c_by": ("执行者", "By"),
    "rf_c_outcome": ("结果", "Outcome"),
    "rf_c_loaded": ("导入文件", "Files loaded"),
    "rf_c_release": ("生成版本", "Release built"),
    "rf_c_message": ("说明", "Details"),
    "rf_outcome_nothing_new": ("没有新数据", "nothing new"),
    "rf_outcome_loaded": ("已导入", "loaded"),
    "rf_outcome_built": ("已构建", "built"),
    "rf_outcome_rejected": ("有文件被拒绝", "file rejected"),
    "rf_outcome_build_failed": ("构建失败", "build failed"),
    "rf_outcome_busy": ("忙，未运行", "busy, not run"),
    "rf_outcome_disk_full": ("磁盘已满", "disk full"),
    "rf_outcome_error": ("出错", "error"),
}
