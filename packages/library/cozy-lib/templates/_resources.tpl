{{/*
cozy-lib.resources.preset: requests/limits of a sizing preset, as YAML.
Usage: {{ include "cozy-lib.resources.preset" "small" | nindent 12 }}
Fails on an unknown preset name.
*/}}
{{- define "cozy-lib.resources.preset" -}}
{{- $presets := dict
  "nano"   (dict "requests" (dict "cpu" "50m"  "memory" "64Mi")  "limits" (dict "cpu" "250m" "memory" "128Mi"))
  "micro"  (dict "requests" (dict "cpu" "100m" "memory" "128Mi") "limits" (dict "cpu" "500m" "memory" "256Mi"))
  "small"  (dict "requests" (dict "cpu" "250m" "memory" "256Mi") "limits" (dict "cpu" "1"    "memory" "512Mi"))
  "medium" (dict "requests" (dict "cpu" "500m" "memory" "512Mi") "limits" (dict "cpu" "1"    "memory" "1Gi"))
  "large"  (dict "requests" (dict "cpu" "1"    "memory" "1Gi")   "limits" (dict "cpu" "2"    "memory" "2Gi"))
  "xlarge" (dict "requests" (dict "cpu" "2"    "memory" "2Gi")   "limits" (dict "cpu" "4"    "memory" "4Gi"))
-}}
{{- if not (hasKey $presets .) -}}
{{- fail (printf "cozy-lib: unknown resources preset %q (one of: %s)" . (keys $presets | sortAlpha | join ", ")) -}}
{{- end -}}
{{- index $presets . | toYaml -}}
{{- end -}}

{{/*
cozy-lib.resources.resolve: container resources from explicit values, falling
back to a preset for every key that is not set explicitly. An explicit value is
used for both the request and the limit.
Usage:
  resources:
    {{- include "cozy-lib.resources.resolve" (dict "resources" .Values.resources "preset" .Values.resourcesPreset) | nindent 4 }}
*/}}
{{- define "cozy-lib.resources.resolve" -}}
{{- $preset := include "cozy-lib.resources.preset" .preset | fromYaml -}}
{{- $explicit := .resources | default dict -}}
{{- $out := dict "requests" (dict) "limits" (dict) -}}
{{- range $key := list "cpu" "memory" -}}
{{- $value := index $explicit $key -}}
{{- if $value -}}
{{- $_ := set $out.requests $key (toString $value) -}}
{{- $_ := set $out.limits $key (toString $value) -}}
{{- else -}}
{{- $_ := set $out.requests $key (index $preset.requests $key) -}}
{{- $_ := set $out.limits $key (index $preset.limits $key) -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}
