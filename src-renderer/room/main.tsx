import '../ui/strict-csp';
import 'webrtc-adapter';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installPeerConnectionRegistry } from '../call/peer-connection-registry';
import { I18nProvider } from '../i18n/I18nProvider';
import '../ui/theme.css';
import '../join/join.css';
import './room.css';
import { RoomApp } from './RoomApp';
import { registerOfflineCache } from './offline/register-offline-cache';

// Before the SDK creates any PeerConnection (freeze counts for the health reports).
installPeerConnectionRegistry();
registerOfflineCache();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <RoomApp />
    </I18nProvider>
  </StrictMode>,
);
