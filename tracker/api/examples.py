"""Example bodies for the OpenAPI documentation (drf-spectacular OpenApiExample values)."""

DOCUMENT_EXAMPLE = {
    "id": 41, "url": "https://example.org/api/documents/41/", "jurisdiction": 1, "jurisdiction_name": "浙江省",
    "level": "province", "year": 2025, "title": "2025年浙江省政府工作报告", "source_url": "https://www.zj.gov.cn/…",
    "filename": "zhejiang-2025.docx", "format": "docx", "encoding": "", "state": "done", "progress": 100, "error": "",
    "warnings": ["the text mentions 2023 where 2025 was given"], "truncated": False, "near_duplicate_of": None,
    "near_duplicate_similarity": None, "plan_report_index": 0, "review_report_index": 0, "pledge_count": 140,
    "created_at": "2026-02-01T08:00:00Z", "updated_at": "2026-02-01T08:00:09Z",
}
EVIDENCE_EXAMPLE = {
    "id": 7, "pledge": 88, "review_document": 52, "section": 31, "text": "新建高标准农田2.1万亩", "start": 1203, "end": 1215,
    "original_start": 1260, "original_end": 1272, "score": 86.0, "origin": "machine", "curation": "",
    "curated_at": None, "version": 1,
}
TRACKING_EXAMPLE = {
    "id": 3, "jurisdiction": 1, "jurisdiction_name": "浙江省", "plan_document": 41,
    "plan_document_filename": "zhejiang-2025.docx", "plan_year": 2025, "review_document": 52, "state": "done",
    "progress": 100, "error": "", "started_at": "2026-02-01T08:00:10Z", "finished_at": "2026-02-01T08:00:31Z",
}
JURISDICTION_EXAMPLE = {"id": 3, "name": "杭州市", "level": "city", "parent": 1, "parent_name": "浙江省"}
PLEDGE_DETAIL_EXAMPLE = {
    "id": 88, "jurisdiction": {"id": 1, "name": "浙江省", "level": "province", "parent": None, "parent_name": None},
    "document": 41, "plan_year": 2025,
    "section": {"id": 12, "report_index": 0, "kind": "plan", "heading": "二、2025年工作安排", "year": 2025, "start": 900,
                "end": 5200},
    "section_path": "二、2025年工作安排 > （三）", "kind": "target", "text": "新建高标准农田2万亩", "start": 1803,
    "end": 1813, "original_start": 1851, "original_end": 1861, "target_metric": "高标准农田", "target_value": 2.0,
    "target_value_max": None, "target_unit": "万亩", "target_comparator": "at_least", "target_direction": "floor",
    "verdict": {"id": 12, "status": "fulfilled", "confidence": 0.86, "machine_status": "fulfilled",
                "machine_confidence": 0.86, "machine_actual": {"metric": "高标准农田", "value": 2.1, "unit": "万亩"},
                "review_document": 52, "override_status": "", "override_reason": "", "override_by": None,
                "override_at": None, "confirmed_by": None, "confirmed_at": None, "version": 3,
                "updated_at": "2026-02-01T08:00:31Z"},
    "evidence": [EVIDENCE_EXAMPLE],
    "history": [{"history_id": 301, "history_date": "2026-02-01T08:00:31Z", "history_type": "~", "user": None,
                 "change_reason": None, "status": "fulfilled", "machine_status": "fulfilled", "override_status": "",
                 "override_reason": "", "confidence": 0.86, "version": 3}],
}
