/**
 * Imports a provisioning profile file (docs/provisioning.md): the text is read in the page and the
 * main process checks everything (schema, server URL, the directory's signature against the key
 * the file pins) before it writes anything. The file never carries a password.
 */
import { useId, useState, type ChangeEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { LineState as SavedLine } from '../../../shared/ipc/line-contract.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';

/** The contract's cap on the profile text (a directory bundle may be inside). */
const MAX_BYTES = 70 * 1024 * 1024;

export interface ProvisioningImportProps {
  api: Pick<KotozuteApi, 'importProvisioning'>;
  onImported(line: SavedLine): void;
  onError(report: ErrorReport): void;
}

export function ProvisioningImport({ api, onImported, onError }: ProvisioningImportProps): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  const [busy, setBusy] = useState(false);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    try {
      if (file.size > MAX_BYTES) throw { message: `${file.name}: ${Math.ceil(file.size / 1024 / 1024)} MB > 70 MB` };
      onImported(await api.importProvisioning({ profile: await file.text() }));
    } catch (err) {
      onError(toErrorReport(err));
    } finally {
      // The same file may be picked again after it was fixed.
      input.value = '';
      setBusy(false);
    }
  };

  return (
    <fieldset className="field-group pairing-provisioning">
      <legend>{t('pairing.provisioning')}</legend>
      <p id={`${id}-hint`} className="field-hint">
        {t('pairing.provisioningHint')}
      </p>
      <label htmlFor={`${id}-file`}>{t('pairing.provisioningFile')}</label>
      <input
        id={`${id}-file`}
        type="file"
        accept=".json,application/json"
        onChange={(e) => void onFile(e)}
        disabled={busy}
        aria-describedby={`${id}-hint`}
      />
    </fieldset>
  );
}
